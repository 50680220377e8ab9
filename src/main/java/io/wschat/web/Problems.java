package io.wschat.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem details ({@code application/problem+json}) with a stable {@code code}: the one shape of every HTTP error. */
public final class Problems {

    private Problems() {
    }

    /** A problem whose {@code code} property is a stable, machine-readable reason. */
    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String code, String detail) {
        return ResponseEntity.status(status).body(withCode(ProblemDetail.forStatusAndDetail(status, detail), code));
    }

    public static ResponseEntity<ProblemDetail> tooManyRequests(String detail, long retryAfterSeconds) {
        ResponseEntity<ProblemDetail> problem = of(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", detail);
        return ResponseEntity.status(problem.getStatusCode())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem.getBody());
    }

    /** Sets {@code code} and the matching {@code type} URI. */
    public static ProblemDetail withCode(ProblemDetail problem, String code) {
        problem.setType(URI.create("urn:wschat:problem:" + code));
        problem.setProperty("code", code);
        return problem;
    }

    /** The code of an error that has no more specific one: its status's name, {@code not_found}, {@code method_not_allowed}. */
    static String codeOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "http_" + status.value() : known.name().toLowerCase(Locale.ROOT);
    }
}
