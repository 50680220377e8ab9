package io.wschat.web;

import io.wschat.chat.ErrorCode;
import io.wschat.chat.ProtocolException;
import io.wschat.chat.StoreUnavailableException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every HTTP error a handler or Spring MVC raises, as problem details ({@code application/problem+json})
 * with a stable {@code code}: our refusals ({@link ApiException}), the protocol's validation (the same
 * codes as on the WebSocket), and Spring's own 400/404/405/415s, whose code is their status's name
 * ({@code not_found}, {@code method_not_allowed}, ...). Being a {@link ResponseEntityExceptionHandler},
 * it replaces Spring Boot's generic one, which answers without a code.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

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
    /** The store is down or too slow: nothing was stored, the caller may retry (a publish carries no cid, so it may double). */
    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(StoreUnavailableException e) {
        ResponseEntity<ProblemDetail> problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE.code(),
                "the message store is unavailable; nothing was stored, try again later");
        return ResponseEntity.status(problem.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "2").body(problem.getBody());
    }

    @ExceptionHandler(ProtocolException.class)
    ResponseEntity<ProblemDetail> invalid(ProtocolException e) {
        HttpStatus status = e.code() == ErrorCode.TOO_MANY_JOBS ? HttpStatus.TOO_MANY_REQUESTS
                : e.code() == ErrorCode.UNKNOWN_JOB ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
        return Problems.of(status, e.code().code(), e.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ResponseEntity<ProblemDetail> problem = Problems.of(HttpStatus.BAD_REQUEST, "invalid_json",
                "the body must be a JSON object: " + e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(problem.getStatusCode()).body(problem.getBody());
    }

    /** Spring's own errors (no handler, wrong method, missing or mistyped parameter, ...): the status's name as the code. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getProperties() == null || !problem.getProperties().containsKey("code"))) {
            Problems.withCode(problem, Problems.codeOf(status));
        }
        return response;
    }
}
