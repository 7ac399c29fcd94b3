package dev.cdc.processor.apply;

import dev.cdc.contract.SourcePosition;
import dev.cdc.processor.event.ChangeEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/**
 * Within one apply transaction, the latest snapshot of each table it touches ({@link TableSnapshots}): a snapshot marker
 * starts a snapshot (its first marker removes the table's earlier copy), and a change older than its table's latest
 * snapshot is superseded by it.
 */
final class SnapshotSupersession {

    private final Map<String, SourcePosition> starts;

    private SnapshotSupersession(Map<String, SourcePosition> starts) {
        this.starts = starts;
    }

    /** Reads the tables' snapshot starts, locked in share mode for the transaction. */
    static SnapshotSupersession lock(Connection c, Collection<String> tables) throws SQLException {
        return new SnapshotSupersession(TableSnapshots.lock(c, tables));
    }

    /**
     * A snapshot of the change's table starts: the first of its markers (one per partition) removes the table's earlier
     * copy; the others, and a replayed one, find it recorded. From then on older changes of the table are superseded.
     */
    void start(Connection c, PreparedChange marker, ApplyResult result) throws SQLException {
        SourcePosition start = TableSnapshots.coordinates(marker.event().position());
        long removed = TableSnapshots.start(c, marker.table(), start);
        if (removed >= 0) {
            result.snapshotStarted(marker.table(), start, removed);
        }
        SourcePosition known = starts.get(marker.table());
        if (known == null || start.compareTo(known) > 0) {
            starts.put(marker.table(), start);
        }
    }

    /**
     * True when the table's latest snapshot started after this change: the snapshot already holds its effect (or the
     * lack of it), so applying it now, after the earlier copy was removed, could only bring back what the source no
     * longer has. Snapshot reads compare by the snapshot they belong to.
     */
    boolean supersedes(PreparedChange change) {
        SourcePosition snapshotStart = starts.get(change.table());
        ChangeEvent event = change.event();
        if (snapshotStart == null || event.position() == null) {
            return false;
        }
        SourcePosition p = event.op() == ChangeEvent.Op.READ ? TableSnapshots.coordinates(event.position()) : event.position();
        return p.compareTo(snapshotStart) < 0;
    }
}
