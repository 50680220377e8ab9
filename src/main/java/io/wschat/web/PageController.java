package io.wschat.web;

import io.wschat.system.ChatProperties;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the demo page; its script opens the WebSocket. */
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
}
