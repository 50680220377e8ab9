package io.wschat;

import java.util.Arrays;

import io.wschat.compare.ComparisonCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class WsChatApplication {

    public static void main(String[] args) {
        // "compare" turns the jar into the HTTP-versus-WebSocket measuring client, without starting a server.
        if (args.length > 0 && "compare".equals(args[0])) {
            System.exit(ComparisonCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(WsChatApplication.class, args);
    }
}
