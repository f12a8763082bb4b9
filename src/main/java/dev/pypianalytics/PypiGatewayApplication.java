package dev.pypianalytics;

import dev.pypianalytics.cli.Cli;
import dev.pypianalytics.clickhouse.embedded.EngineHost;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Arrays;

/**
 * The gateway. The same jar also hosts the embedded ClickHouse engine in a child process
 * ({@code engine-host}; that entry point starts no Spring context) and runs the warehouse commands
 * ({@code ingest}, {@code generate}, {@code reconcile}, {@code repair-day}; see {@link Cli}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PypiGatewayApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(EngineHost.COMMAND)) {
            EngineHost.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && Cli.COMMANDS.contains(args[0])) {
            System.exit(Cli.run(args));
        }
        SpringApplication.run(PypiGatewayApplication.class, args);
    }
}
