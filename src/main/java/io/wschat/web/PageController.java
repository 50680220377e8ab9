package io.wschat.web;

import io.wschat.system.ChatProperties;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the demo page and the game page; their scripts open the WebSockets. */
@Controller
class PageController {

    private final ChatProperties properties;

    PageController(ChatProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/")
    String index(Model model) {
        // The send box stops at the server's limit instead of earning a text_too_long error.
        model.addAttribute("maxTextLength", properties.maxTextLength());
        return "index";
    }

    /** The multiplayer game: lobby, canvas, touch controls; its script opens {@code /game/ws}. */
    @GetMapping("/game")
    String game() {
        return "game";
    }
}
