package dev.cdc.demo;

/** Reads counters from an app's Prometheus text exposition. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * Sum of the samples of a counter, e.g. {@code cdc.processor.applied} with tag {@code op:c} →
     * {@code cdc_processor_applied_total{op="c",...}}; 0 when absent or the text is null.
     */
    public static double prometheusValue(String exposition, String name, String tag) {
        if (exposition == null) {
            return 0;
        }
        String metric = name.replace('.', '_');
        String label = tag == null ? null : tag.substring(0, tag.indexOf(':')) + "=\"" + tag.substring(tag.indexOf(':') + 1) + "\"";
        double sum = 0;
        for (String line : exposition.split("\\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String series = line.substring(0, Math.max(0, line.lastIndexOf(' ')));
            String base = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            if (!(base.equals(metric) || base.equals(metric + "_total"))) {
                continue;
            }
            if (label != null && !series.contains(label)) {
                continue;
            }
            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }
}
