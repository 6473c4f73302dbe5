package io.isthmus.sol.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * SOL013 clause 6.3 ProblemDetails (RFC 7807), the body of every error response, served as
 * {@code application/problem+json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProblemDetails(String type, String title, int status, String detail, String instance) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static ProblemDetails of(int status, String title, String detail) {
        return new ProblemDetails(null, title, status, detail, null);
    }
}
