package dev.cdc.processor.apply;

import dev.cdc.processor.config.ProcessorConfig;
import dev.cdc.processor.event.ChangeEvent;
import dev.cdc.processor.event.PoisonEventException;
import jakarta.inject.Singleton;

/** Maps a source table to its target table with {@code cdc.processor.table-name-format} ({@code {db}}, {@code {table}}). */
@Singleton
public class TableNames {

    private final String format;

    public TableNames(ProcessorConfig config) {
        this.format = config.getTableNameFormat();
    }

    public String target(ChangeEvent event) {
        return format(format, event.db(), event.table());
    }

    /** The target table of source table {@code table} in database {@code db}. */
    public String target(String db, String table) {
        return format(format, db, table);
    }

    static String format(String format, String db, String table) {
        String name = format.replace("{db}", db).replace("{table}", table);
        if (name.isEmpty() || name.length() > 64) {
            throw new PoisonEventException("target table name '" + name + "' (from format '" + format + "') is empty or longer than 64 characters");
        }
        if (name.equalsIgnoreCase(WatermarkStore.TABLE)) {
            throw new PoisonEventException("target table name '" + name + "' is the processor's own watermark table");
        }
        return name;
    }
}
