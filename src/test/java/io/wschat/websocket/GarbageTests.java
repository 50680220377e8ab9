package io.wschat.websocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;

import io.wschat.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random garbage on {@code /chat} from a fixed seed: every frame gets the answer it should,
 * the server stays up, and a bystander in the same room loses none of its own messages.
 * The rate limit is off so that the parser, not the limiter, answers every frame; the
 * thousands of WARN lines this causes are silenced.
 */
// The same properties, in the same order, as HostileInputTests: the two share one server.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "chat.limits.rate.messages-per-second=0",
        "logging.level.io.wschat.security.MeteredRejections=ERROR",
        "chat.api.keys=" + HostileInputTests.API_KEY,
        "chat.api.requests-per-second=1000",
        "chat.api.burst=1000"})
class GarbageTests {

    private static final int FRAMES = 3000;
    private static final int BYSTANDER_MESSAGES = 100;
    private static final String MESSAGE = "message";

    @LocalServerPort
    int port;

    private final Random random = new Random(20261125L);

    /** A frame and the answer it must get: {@code message}, or {@code error:<code>}. */
    private record Garbage(String frame, String answer) {
    }

    @Test
    void everyGarbageFrameGetsItsDefinedAnswerAndTheBystanderLosesNothing() throws Exception {
        String chat = "ws://localhost:" + port + "/chat?room=garbage";
        try (TestClient bystander = TestClient.connect(chat + "&name=Bystander");
             TestClient garbler = TestClient.connect(chat + "&name=Garbler")) {
            String bystanderId = bystander.next("welcome").path("id").asString();
            String garblerId = garbler.next("welcome").path("id").asString();

            Map<String, Integer> expected = new HashMap<>();
            int said = 0;
            for (int i = 0; i < FRAMES; i++) {
                Garbage garbage = next();
                garbler.send(garbage.frame());
                expected.merge(garbage.answer(), 1, Integer::sum);
                if (i % (FRAMES / BYSTANDER_MESSAGES) == 0 && said < BYSTANDER_MESSAGES) {
                    bystander.send("b-" + said++);
                }
            }
            // The end marker is a chat message of its own: it comes back after every earlier message of the
            // garbler's (the room's sequence orders them) and after every error (answered before it was read).
            // A pong would not do: it is answered at once and can overtake a broadcast still on its way.
            String endMarker = "end of garbage " + UUID.randomUUID();
            garbler.sendJson(Map.of("type", "message", "text", endMarker));

            Map<String, Integer> answered = new HashMap<>();
            while (true) {
                JsonNode event = garbler.next();
                String type = event.path("type").asString();
                if (type.equals(MESSAGE) && event.path("fromId").asString().equals(garblerId)
                        && event.path("text").asString().equals(endMarker)) {
                    break;
                }
                if (type.equals("error")) {
                    answered.merge("error:" + event.path("code").asString(), 1, Integer::sum);
                } else if (type.equals(MESSAGE) && event.path("fromId").asString().equals(garblerId)) {
                    answered.merge(MESSAGE, 1, Integer::sum);
                } else {
                    assertThat(type).as("only others' chat reaches the garbler").isIn(MESSAGE, "presence");
                }
            }
            assertThat(answered).isEqualTo(expected);

            List<String> own = new ArrayList<>();
            long lastSeq = 0;
            while (own.size() < said) {
                JsonNode message = bystander.next(e -> e.path("type").asString().equals(MESSAGE)
                        && e.path("fromId").asString().equals(bystanderId), "the bystander's own message");
                assertThat(message.path("seq").asLong()).isGreaterThan(lastSeq);
                lastSeq = message.path("seq").asLong();
                own.add(message.path("text").asString());
            }
            assertThat(own).isEqualTo(IntStream.range(0, said).mapToObj(i -> "b-" + i).toList());
            assertThat(garbler.isOpen()).isTrue();
        }
        try (TestClient after = TestClient.connect(chat)) {
            assertThat(after.next("welcome").path("room").asString()).isEqualTo("garbage");
        }
    }

    private Garbage next() {
        switch (random.nextInt(12)) {
            case 0: {
                // U+0000 can be neither stored (PostgreSQL) nor trusted to clients: refused, as every other path refuses it.
                String text = "g" + randomText(1 + random.nextInt(100));
                return new Garbage(text, text.indexOf('\0') >= 0 ? "error:invalid_text" : MESSAGE);
            }
            case 1:
                return new Garbage(" \t\n".repeat(1 + random.nextInt(5)), "error:empty_text");
            case 2: {
                String command = validCommand();
                return new Garbage(command.substring(0, 1 + random.nextInt(command.length() - 1)), "error:invalid_json");
            }
            case 3:
                return new Garbage("{\"type\":" + pick("1", "[]", "null", "{}", "true", "-0.5e3") + "}", "error:invalid_command");
            case 4:
                return new Garbage("{\"type\":\"" + pick("dance", "MESSAGE", "", "join ", "pingg") + random.nextInt(1000) + "\"}",
                        "error:unknown_type");
            case 5:
                return new Garbage(json("nick", "name", "n".repeat(33 + random.nextInt(2000))), "error:invalid_name");
            case 6:
                return new Garbage(json("join", "room", "r".repeat(65 + random.nextInt(2000))), "error:invalid_room");
            case 7:
                return new Garbage(json("message", "text", "t".repeat(4001 + random.nextInt(16000))), "error:text_too_long");
            case 8:
                return new Garbage("{\"type\":\"" + pick("message", "join", "nick") + "\",\"" + pick("text", "room", "name")
                        + "\":" + pick("5", "[\"a\"]", "{\"x\":1}", "false") + "}", "error:invalid_command");
            case 9:
                return new Garbage("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "error:invalid_json");
            case 10:
                return new Garbage(pick("[1,2,3]", "\"quoted\"", "42", "null", "}{", "]"), MESSAGE);
            default:
                return new Garbage("{\"type\":\"message\",\"text\":\"hi\",\"cid\":\"" + "c".repeat(65 + random.nextInt(500)) + "\"}",
                        "error:invalid_command");
        }
    }

    private String validCommand() {
        return pick("{\"type\":\"message\",\"text\":\"hello\"}", "{\"type\":\"join\",\"room\":\"elsewhere\"}",
                "{\"type\":\"nick\",\"name\":\"Someone\"}", "{\"type\":\"ping\",\"id\":\"x\"}");
    }

    private static String json(String type, String field, String value) {
        return "{\"type\":\"" + type + "\",\"" + field + "\":\"" + value + "\"}";
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            // Printable ASCII and a band of other scripts; control characters and quotes included on purpose.
            text.append(random.nextInt(4) == 0 ? (char) (0x0400 + random.nextInt(0x0500)) : (char) (random.nextInt(0x7F)));
        }
        return text.toString();
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }
}
