package io.wschat.api;

import io.wschat.chat.ErrorCode;
import io.wschat.chat.ProtocolException;
import io.wschat.chat.StoreUnavailableException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the HTTP API's refusals into problem details ({@code application/problem+json}) with a stable {@code code}. */
// Before Spring Boot's generic problem-details handler, which would answer without our stable code.
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(basePackages = {"io.wschat.api", "io.wschat.progress"})
class ApiExceptionHandler {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> refused(ApiException e) {
        if (e.status() == HttpStatus.TOO_MANY_REQUESTS) {
            return Problems.tooManyRequests(e.getMessage(), 1);
        }
        ResponseEntity<ProblemDetail> problem = Problems.of(e.status(), e.code(), e.getMessage());
        if (e.status() == HttpStatus.UNAUTHORIZED) {
            return ResponseEntity.status(problem.getStatusCode())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"wschat\"").body(problem.getBody());
        }
        return problem;
    }

    /** The same validation the WebSocket protocol applies, with the same codes. */
    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<ProblemDetail> invalid(ProtocolException e) {
        HttpStatus status = e.code() == ErrorCode.TOO_MANY_JOBS ? HttpStatus.TOO_MANY_REQUESTS
                : e.code() == ErrorCode.UNKNOWN_JOB ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        return Problems.of(status, e.code().code(), e.getMessage());
    }

    /** The store is down or too slow: nothing was stored, the caller may retry (a publish carries no cid, so it may double). */
    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(StoreUnavailableException e) {
        ResponseEntity<ProblemDetail> problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE.code(),
                "the message store is unavailable; nothing was stored, try again later");
        return ResponseEntity.status(problem.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "2").body(problem.getBody());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid_json", "the body must be a JSON object: " + e.getMostSpecificCause().getMessage());
    }
}
