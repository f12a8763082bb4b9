package dev.pypianalytics.ingest;

import dev.pypianalytics.clickhouse.Aggregates;
import dev.pypianalytics.clickhouse.ClickHouse;
import dev.pypianalytics.clickhouse.Sql;

import java.util.ArrayList;
import java.util.List;

/** Whole-warehouse data operations shared by the commands: emptiness, wiping, dictionary reloads. */
public final class WarehouseData {

    /** Tables holding data (not schema), besides the aggregates. */
    private static final List<String> DATA_TABLES = List.of("pypi", "projects", "ingest_files", "ingest_file_days", "ingest_follow_files", "pypi_freshness");

    private final ClickHouse clickHouse;

    public WarehouseData(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    public long downloads() {
        Long rows = clickHouse.queryOne(Sql.of("SELECT count() AS n FROM pypi"), row -> row.getLong("n")).block();
        return rows == null ? 0 : rows;
    }

    /** Empties pypi, every aggregate, the metadata, the ledger and the freshness records. */
    public void truncateAll() {
        List<String> tables = new ArrayList<>(DATA_TABLES);
        new Aggregates(clickHouse).all().forEach(aggregate -> tables.add(aggregate.table()));
        for (String table : tables) {
            clickHouse.execute(Sql.of("TRUNCATE TABLE IF EXISTS " + table)).block();
        }
        reloadDictionaries();
    }

    /** Makes the dictionaries see what was just written (they reload on their own only every few minutes). */
    public void reloadDictionaries() {
        clickHouse.execute(Sql.of("SYSTEM RELOAD DICTIONARY last_updated_dict")).block();
    }
}
