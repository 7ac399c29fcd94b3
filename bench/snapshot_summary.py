#!/usr/bin/env python3
"""Markdown report of bench/snapshot-side-by-side.sh. Usage: snapshot_summary.py results.jsonl WORK"""
import json
import os
import statistics
import subprocess
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
work = sys.argv[2]
run = json.load(open(os.path.join(work, "run.json")))
out = []
p = out.append


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


def mem_kib():
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def num(v, f="{:,.0f}"):
    return f.format(v) if isinstance(v, (int, float)) else "n/a"


def med_range(vals, f="{:,.0f}"):
    vals = [v for v in vals if isinstance(v, (int, float))]
    if not vals:
        return "n/a"
    return f"{f.format(statistics.median(vals))} ({f.format(min(vals))}–{f.format(max(vals))})"


pipelines = run["pipelines"].split()
by = {pl: [r for r in rows if r["pipeline"] == pl] for pl in pipelines}
loads = [float(line.split()[1]) for line in open(os.path.join(work, "loadavg.log")) if len(line.split()) >= 2]

p(f"## Initial snapshot, N = {run['rows']:,} rows, {run['rounds']} round(s) per pipeline")
p("")
p(f"- run {run['started_utc']} – {run['ended_utc']} UTC; {sh('nproc')} cores, "
  f"{mem_kib() / 1048576:.1f} GiB; "
  f"{sh('java -version 2>&1 | head -2 | tail -1')}; MariaDB {run['mariadb']}; {run['connector_jar']}")
p(f"- load average (1 min), 5-second samples from the build to the end: median {statistics.median(loads):.1f}, "
  f"min {min(loads):.1f}, max {max(loads):.1f}" if loads else "- load average: not recorded")
p(f"- table bench.orders: 10 columns, {run['table_mib']} MiB in InnoDB, loaded in {run['load_ms'] / 1000:.1f} s")
p(f"- Debezium settings given to A and B: `{run['ab_debezium_props'] or '(Debezium defaults)'}`")
p("")
p("| round | pipeline | start → first row (s) | start → last row (s) | rows/s from start | first → last row (s) | "
  "rows/s first → last | row records / distinct | row value (B) | end offset | other records | peak RSS (MiB) | CPU s start → last | "
  "CPU s / 100k rows (first → last) | load avg start / end |")
p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in sorted(rows, key=lambda x: (x["round"], pipelines.index(x["pipeline"]))):
    cpu100k = (r["cpu_s_first_to_last_row"] / r["rows"] * 100_000) if "cpu_s_first_to_last_row" in r else None
    p(f"| {r['round']} | {r['pipeline']} | {num(r.get('start_to_first_row_s'), '{:.1f}')} | "
      f"{num(r.get('start_to_last_row_s'), '{:.1f}')} | **{num(r.get('rows_per_s_from_start'))}** | "
      f"{num(r.get('first_to_last_row_s'), '{:.1f}')} | {num(r.get('rows_per_s_first_to_last'))} | "
      f"{r.get('row_records')} / {r.get('distinct_ids')} | {num(r.get('avg_row_value_bytes'))} | {r.get('final_end_offset')} | {r.get('other_records')} | "
      f"{num(r.get('vm_hwm_mib'))} | {num(r.get('cpu_s_start_to_last_row'), '{:.1f}')} | {num(cpu100k, '{:.1f}')} | "
      f"{r['loadavg_start']:.1f} / {r['loadavg_end']:.1f} |" + (f" ERROR: {r['error']}" if "error" in r else ""))
p("")
p("Median (min–max) over the rounds:")
p("")
p("| pipeline | rows/s from start | rows/s first → last row | start → first row (s) | peak RSS (MiB) | "
  "CPU s start → last | CPU s / 100k rows (first → last) | duplicates |")
p("|---|---|---|---|---|---|---|---|")
med = {}
for pl in pipelines:
    rs = [r for r in by[pl] if "error" not in r]
    med[pl] = {k: statistics.median([r[k] for r in rs]) if rs else None
               for k in ("rows_per_s_from_start", "rows_per_s_first_to_last")}
    p(f"| {pl} | **{med_range([r['rows_per_s_from_start'] for r in rs])}** | "
      f"{med_range([r['rows_per_s_first_to_last'] for r in rs])} | "
      f"{med_range([r['start_to_first_row_s'] for r in rs], '{:.1f}')} | {med_range([r['vm_hwm_mib'] for r in rs])} | "
      f"{med_range([r['cpu_s_start_to_last_row'] for r in rs], '{:.1f}')} | "
      f"{med_range([r['cpu_s_first_to_last_row'] / r['rows'] * 100_000 for r in rs], '{:.1f}')} | "
      f"{sum(r['duplicates'] for r in by[pl])} |")
p("")
p("Ratios (ratio of the medians; in brackets the ratios of the rounds paired by round number):")
p("")
p("| ratio | rows/s from start | rows/s first → last row |")
p("|---|---|---|")
for num_pl in [x for x in pipelines if x.startswith("C")]:
    for den in [x for x in pipelines if x in ("A", "B")]:
        cells = []
        for k in ("rows_per_s_from_start", "rows_per_s_first_to_last"):
            a, b = med[num_pl][k], med[den][k]
            paired = []
            for rn in sorted({r["round"] for r in rows}):
                x = [r[k] for r in by[num_pl] if r["round"] == rn and k in r]
                y = [r[k] for r in by[den] if r["round"] == rn and k in r]
                if x and y:
                    paired.append(f"{x[0] / y[0]:.2f}")
            cells.append(f"**{a / b:.2f}** ({', '.join(paired)})" if a and b else "n/a")
        p(f"| {num_pl} / {den} | {cells[0]} | {cells[1]} |")
p("")
p("## MariaDB settings")
p("")
p("```")
p(open(os.path.join(work, "mariadb-settings.txt")).read().rstrip())
p("```")
print("\n".join(out))
