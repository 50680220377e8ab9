package io.wschat.api;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem details ({@code application/problem+json}) for the HTTP API's refusals. */
public final class Problems {

    private Problems() {
    }

    /** A problem whose {@code code} property is a stable, machine-readable reason. */
    public static ResponseEntity<ProblemDetail> of(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:wschat:problem:" + code));
        problem.setProperty("code", code);
        return ResponseEntity.status(status).body(problem);
    }

    public static ResponseEntity<ProblemDetail> tooManyRequests(String detail, long retryAfterSeconds) {
        ResponseEntity<ProblemDetail> problem = of(HttpStatus.TOO_MANY_REQUESTS, "rate_limited", detail);
        return ResponseEntity.status(problem.getStatusCode())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem.getBody());
    }
}
