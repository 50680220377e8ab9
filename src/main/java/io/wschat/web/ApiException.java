package io.wschat.web;

import org.springframework.http.HttpStatus;

/** A refusal of an HTTP request, answered as problem details with a stable {@code code}. */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }
}
