package io.wschat.chat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextRuleTests {

    @Test
    void refusesUnpairedAndReversedSurrogatesAndNul() {
        for (String bad : List.of("x\uD800y", "x\uDC00y", "\uDC00\uD800", "ends with \uD83D", "\uDE00 starts", "a\u0000b")) {
            assertThatThrownBy(() -> TextRule.require("text", bad))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEXT))
                    .hasMessageStartingWith("'text' contains");
        }
    }

    @Test
    void acceptsPairedSurrogatesNoncharactersAndControlsUnchanged() {
        for (String good : List.of("\uD83D\uDE00", "\uFFFE\uFFFF\uFDD0\uFDEF", "\uDBFF\uDFFF", "bell\u0007 esc\u001B nel\u0085", "", "plain")) {
            assertThat(TextRule.require("text", good)).isSameAs(good);
        }
        assertThat(TextRule.require("text", null)).isNull();
    }

    @Test
    void saysWhereAndWhatIsWrong() {
        assertThatThrownBy(() -> TextRule.require("name", "ab\uDC01"))
                .hasMessage("'name' contains the unpaired surrogate U+DC01 at position 2: not valid Unicode text"
                        + " (half of a character that takes two UTF-16 units, such as an emoji)");
        assertThatThrownBy(() -> TextRule.require("cid", "\u0000")).hasMessage("'cid' contains U+0000 at position 0, which cannot be stored");
    }

    @Test
    void checksEveryKeyAndStringInsideJson() {
        TextRule.requireJson("data", Map.of("ok", List.of(1, "fine", Map.of("deep", "\uD83D\uDE00"))));
        assertThatThrownBy(() -> TextRule.requireJson("data", Map.of("k", List.of(1, Map.of("deep", "\uD800")))))
                .hasMessageStartingWith("'data' contains the unpaired surrogate U+D800");
        assertThatThrownBy(() -> TextRule.requireJson("data", Map.of("bad\u0000key", 1))).hasMessageStartingWith("'data' contains U+0000");
    }

    @Test
    void replacesOnlyUnpairedSurrogatesWithTheReplacementCharacter() {
        String clean = "already \uD83D\uDE00 fine";
        assertThat(TextRule.withoutUnpairedSurrogates(clean)).isSameAs(clean);
        assertThat(TextRule.withoutUnpairedSurrogates("a\uD800b\uDC00\uD800\uD83D\uDE00\uDE00"))
                .isEqualTo("a\uFFFDb\uFFFD\uFFFD\uD83D\uDE00\uFFFD");
        assertThat(TextRule.withoutUnpairedSurrogates("\uD83D")).isEqualTo("\uFFFD");
    }
}
