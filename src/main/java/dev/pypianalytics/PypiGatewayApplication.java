package dev.pypianalytics;

import dev.pypianalytics.clickhouse.embedded.EngineHost;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Arrays;

/**
 * The gateway. The same jar also hosts the embedded ClickHouse engine in a child process
 * ({@code engine-host}); that entry point starts no Spring context.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PypiGatewayApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(EngineHost.COMMAND)) {
            EngineHost.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(PypiGatewayApplication.class, args);
    }
}
