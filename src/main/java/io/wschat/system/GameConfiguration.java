package io.wschat.system;

import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.wschat.chat.Rejections;
import io.wschat.game.GameRelay;
import io.wschat.game.GameService;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Assembles the games from {@code chat.game.*}; their tick threads stop with the application.
 * The {@link GameRelay} comes with the broker: local on one instance, Redis on several.
 */
@Configuration(proxyBeanMethods = false)
class GameConfiguration {

    @Bean(destroyMethod = "close")
    GameService gameService(GameProperties properties, ObjectMapper mapper, MeterRegistry registry, Rejections rejections,
                            GameRelay relay) {
        return new GameService(properties.rules(), properties.tickThreads(), mapper, new GameMetrics(registry), rejections,
                () -> ThreadLocalRandom.current().nextLong(), relay, properties.ownerLease());
    }

    @Bean
    MeterBinder gameGauges(GameService games) {
        return registry -> {
            Gauge.builder("game.games", games, GameService::gameCount)
                    .description("Games running on this instance")
                    .register(registry);
            Gauge.builder("game.players", games, GameService::playerCount)
                    .description("Players in this instance's games")
                    .register(registry);
        };
    }
}
