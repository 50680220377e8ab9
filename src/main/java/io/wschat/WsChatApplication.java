package io.wschat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class WsChatApplication {

    public static void main(String[] args) {
        SpringApplication.run(WsChatApplication.class, args);
    }
}
