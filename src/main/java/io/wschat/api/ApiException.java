package io.wschat.api;

import org.springframework.http.HttpStatus;

/** A refusal of the HTTP API, answered as problem details with a stable {@code code}. */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
