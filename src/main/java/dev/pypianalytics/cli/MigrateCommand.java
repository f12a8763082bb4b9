package dev.pypianalytics.cli;

import dev.pypianalytics.clickhouse.WarehouseSchema;
import dev.pypianalytics.clickhouse.migrations.SchemaMigrations;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code migrate}: brings the warehouse's schema up to date and says what it applied, for deploy pipelines that
 * migrate before they start (or restart) gateways. Like a gateway's start-up, it holds the warehouse's migrations
 * lease while applying, so it can run while instances start; unlike it, it applies even where
 * {@code pypi.migrations.enabled=false} (the setting for instances that never migrate).
 */
@CommandLine.Command(name = "migrate", sortOptions = false, customSynopsis = "migrate",
        description = {
                "Apply the schema files (sql/) the warehouse does not have yet, each once even while gateways",
                "start (they take turns holding a lease in the warehouse), and list them. For deploy pipelines."})
final class MigrateCommand implements Cli.WarehouseCommand {

    @CommandLine.Mixin
    Commands.HelpOption help;

    @Override
    public Cli.Command prepare() {
        return MigrateCommand::migrate;
    }

    private static int migrate(Cli.Warehouse warehouse) {
        WarehouseSchema schema = warehouse.context().getBean(WarehouseSchema.class);
        // Opening the warehouse may have applied files already (start-up migrations); then this run finds none.
        List<String> applied = new ArrayList<>(schema.report().applied());
        SchemaMigrations.Report report = schema.migrate();
        applied.addAll(report.applied());
        var out = warehouse.out();
        if (applied.isEmpty()) {
            out.println("The schema is up to date: nothing to apply.");
        } else {
            out.println("Applied " + applied.size() + " schema file(s):");
            applied.forEach(name -> out.println("  sql/" + name));
        }
        report.changed().forEach(changed -> out.println("warning: sql/" + changed.name() + " changed after it was applied; not re-run"));
        return Cli.OK;
    }
}
