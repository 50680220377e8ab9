package io.wschat.web;

import java.util.List;

import io.wschat.game.GameInfo;
import io.wschat.game.GameService;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The game lobby: the games running on this instance and who plays in them. */
@RestController
class GamesApiController {

    private final GameService games;

    GamesApiController(GameService games) {
        this.games = games;
    }

    record Lobby(List<GameInfo> games, int maxPlayers) {
    }

    @GetMapping("/api/games")
    Lobby games() {
        return new Lobby(games.games(), games.rules().maxPlayers());
    }
}
