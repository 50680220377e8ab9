package io.wschat.chat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SharedFrameTests {

    @Test
    void shouldEncodeItsTextOnceForEveryConnectionItGoesTo() {
        SharedFrame frame = new SharedFrame("{\"text\":\"añ€😀\"}");
        byte[] first = frame.utf8();
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"añ€😀\"}");
        assertThat(frame.utf8()).as("the second recipient's bytes").isSameAs(first);
    }

    @Test
    void shouldEncodeALoneSurrogateAsAQuestionMark() {
        assertThat(new SharedFrame("cut \uD83D here").utf8()).isEqualTo("cut ? here".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldBeTheSameFrameAsAnotherOfTheSameText() {
        assertThat(new Broadcast("r", 1, "{}")).isEqualTo(new Broadcast("r", 1, new SharedFrame("{}")));
    }
}
