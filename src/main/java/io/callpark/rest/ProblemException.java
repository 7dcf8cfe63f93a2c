package io.callpark.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** Ends a request with a problem+json response. */
public final class ProblemException extends WebApplicationException {

    public ProblemException(Response problem) {
        super(problem);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, "not-found", "Not found", detail));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(Response.Status.FORBIDDEN, "operator-only", "Operator key needed",
                detail));
    }

    public static ProblemException badRequest(String type, String detail) {
        return new ProblemException(Problem.of(Response.Status.BAD_REQUEST, type, "Bad request", detail));
    }
}
