package io.wschat.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the demo page; its script opens the WebSocket. */
@Controller
class PageController {

    @GetMapping("/")
    String index() {
        return "index";
    }
}
