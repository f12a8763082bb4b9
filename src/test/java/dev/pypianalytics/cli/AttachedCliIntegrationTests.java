package dev.pypianalytics.cli;

import dev.pypianalytics.support.ClickPyLayoutWarehouse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's commands all write: against a warehouse marked ATTACHED (someone else's) they refuse. */
class AttachedCliIntegrationTests {

    @Test
    void generatingDemoDataIntoAnAttachedWarehouseIsRefusedAndWritesNothing() {
        ClickPyLayoutWarehouse clickPy = ClickPyLayoutWarehouse.get();
        long before = clickPy.longAsAdmin("SELECT count() FROM pypi");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(new String[] {"generate", "--rows=1000", "--pypi.warehouse.mode=ATTACHED",
                        "--pypi.clickhouse.url=" + clickPy.url(), "--pypi.clickhouse.user=default", "--pypi.clickhouse.password="});
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ATTACHED").contains("read-only");
        assertThat(clickPy.longAsAdmin("SELECT count() FROM pypi")).isEqualTo(before);
    }
}
