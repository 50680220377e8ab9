package io.wschat.security;

import java.util.List;

import io.wschat.api.ApiProperties;
import io.wschat.web.ApiException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTests {

    private static ApiProperties keys(String... keys) {
        return new ApiProperties(List.of(keys), 10, 20, DataSize.ofKilobytes(16));
    }

    @Test
    void withoutConfiguredKeysTheApiIsDisabled() {
        var access = new ApiKeys(keys());
        var request = new MockHttpServletRequest("POST", "/api/rooms/lobby/messages");
        request.addHeader("X-API-Key", "anything-at-all-long-enough");
        assertThatThrownBy(() -> access.authorize(request)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.FORBIDDEN);
            assertThat(e.code()).isEqualTo("api_disabled");
        });
    }

    @Test
    void tellsWhichKeyMatchedWithoutNamingIt() {
        var access = new ApiKeys(keys("first-key-0123456789", "second-key-0123456789"));
        var request = new MockHttpServletRequest("POST", "/api/jobs");
        request.addHeader("Authorization", "bearer second-key-0123456789");
        assertThat(access.authorize(request)).isEqualTo("key#2");
    }

    @Test
    void shortKeysFailAtStartUpWithAHint() {
        assertThatThrownBy(() -> keys("short")).hasMessageContaining("at least 16 characters").hasMessageContaining("openssl rand");
        assertThat(keys(" padded-key-0123456789 ", "").keys()).containsExactly("padded-key-0123456789");
    }
}
