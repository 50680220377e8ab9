package io.wschat.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import io.wschat.support.TestClient;
import io.wschat.support.TestClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence that scales: a change carries the member who changed and the count, never the list,
 * so N joins cost O(N) bytes per member; the list comes once, capped, in the welcome, and the
 * {@code members} command pages the rest.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "chat.welcome-members=5")
class LargeRoomPresenceTests {

    private static final int MEMBERS = 12;

    @LocalServerPort
    int port;

    private final TestClients clients = new TestClients();

    @AfterEach
    void closeClients() throws Exception {
        clients.close();
    }

    private JsonNode join(String room, String name) throws Exception {
        TestClient client = clients.connect("ws://localhost:" + port + "/chat?room=" + room + "&name=" + name);
        return client.next("welcome");
    }

    @Test
    void presenceChangesCarryTheMemberAndTheCountButNeverTheList() throws Exception {
        join("big", "first");
        TestClient first = clients.get(0);
        List<String> joinFrames = new ArrayList<>();
        for (int i = 2; i <= MEMBERS; i++) {
            join("big", "member" + i);
            String name = "member" + i;
            JsonNode joined = first.next(e -> "joined".equals(e.path("event").asString())
                    && name.equals(e.path("member").path("name").asString()), name + " joining");
            assertThat(joined.path("count").asInt()).isEqualTo(i);
            assertThat(joined.has("members")).as("a presence change lists no members").isFalse();
            joinFrames.add(joined.toString());
        }
        assertThat(joinFrames.get(joinFrames.size() - 1).length())
                .as("the last join costs as many bytes as the second, whatever the room's size")
                .isLessThanOrEqualTo(joinFrames.get(0).length() + 8);

        clients.get(MEMBERS - 1).close();
        JsonNode left = first.next(e -> "left".equals(e.path("event").asString()), "the last member leaving");
        assertThat(left.path("member").path("name").asString()).isEqualTo("member" + MEMBERS);
        assertThat(left.path("count").asInt()).isEqualTo(MEMBERS - 1);
    }

    @Test
    void welcomeListsTheFirstMembersAndTheMembersCommandPagesTheRest() throws Exception {
        JsonNode welcome = null;
        for (int i = 1; i <= MEMBERS; i++) {
            welcome = join("paged", "m" + i);
        }
        assertThat(names(welcome.path("members"))).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(welcome.path("memberCount").asInt()).isEqualTo(MEMBERS);
        assertThat(welcome.path("membersTruncated").asBoolean()).isTrue();

        TestClient last = clients.get(MEMBERS - 1);
        List<String> rest = new ArrayList<>();
        int offset = 5;
        while (offset < MEMBERS) {
            last.sendJson(Map.of("type", "members", "offset", offset));
            JsonNode page = last.next("members");
            assertThat(page.path("offset").asInt()).isEqualTo(offset);
            assertThat(page.path("count").asInt()).isEqualTo(MEMBERS);
            assertThat(page.path("members").size()).isBetween(1, 5);
            rest.addAll(names(page.path("members")));
            offset += page.path("members").size();
        }
        assertThat(rest).containsExactly("m6", "m7", "m8", "m9", "m10", "m11", "m12");

        last.sendJson(Map.of("type", "members", "limit", 6));
        JsonNode error = last.next("error");
        assertThat(error.path("code").asString()).isEqualTo("invalid_command");
        last.sendJson(Map.of("type", "members", "offset", -1));
        assertThat(last.next("error").path("code").asString()).isEqualTo("invalid_command");
    }

    private static List<String> names(JsonNode members) {
        List<String> names = new ArrayList<>();
        members.forEach(m -> names.add(m.path("name").asString()));
        return names;
    }
}
