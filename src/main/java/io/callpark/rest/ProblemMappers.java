package io.callpark.rest;

import io.callpark.store.ConcurrentChangeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Every error leaves the API as problem+json: ours as built, Jakarta REST's own (404, 405, 415...) translated. */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class.getName());

    private ProblemMappers() {
    }

    @Provider
    public static final class WebApplication implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response r = e.getResponse();
            if (r.getMediaType() != null && Problem.MEDIA_TYPE.equals(r.getMediaType().toString())) {
                return r;
            }
            int status = r.getStatus();
            Response.StatusType type = Response.Status.fromStatusCode(status);
            String title = type == null ? "Error" : type.getReasonPhrase();
            String detail = switch (status) {
                case 404 -> "no such resource";
                case 405 -> "method not allowed here";
                case 406 -> "the API answers application/json only";
                case 415 -> "send the body as application/json";
                case 400 -> "the request could not be read: " + e.getMessage();
                default -> title;
            };
            return Problem.build(status, "http-" + status, title, detail, java.util.List.of());
        }
    }

    /** An action on a call that did not get its turn in time (the node is overloaded): the client may retry. */
    @Provider
    public static final class Busy implements ExceptionMapper<java.util.concurrent.TimeoutException> {
        @Override
        public Response toResponse(java.util.concurrent.TimeoutException e) {
            LOG.warning("REST action timed out: " + e.getMessage());
            return Response.fromResponse(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "busy", "Busy",
                    "the call's work queue did not get to the action in time; nothing or all of it happened,"
                            + " read the call to see which")).header("Retry-After", "2").build();
        }
    }

    /** The same entry kept changing under the request (many writers at once): nothing was changed by it. */
    @Provider
    public static final class ConcurrentChange implements ExceptionMapper<ConcurrentChangeException> {
        @Override
        public Response toResponse(ConcurrentChangeException e) {
            LOG.warning("REST request lost every compare-and-set: " + e.getMessage());
            return Problem.of(Response.Status.CONFLICT, "concurrent-change", "Conflict",
                    "the resource kept changing under the request; nothing was changed, try again");
        }
    }

    /** A bug of ours: logged with its stack, answered 500 without internals. */
    @Provider
    public static final class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            if (e instanceof WebApplicationException wae) {
                return new WebApplication().toResponse(wae);
            }
            LOG.log(Level.SEVERE, "REST request failed", e);
            return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                    "the server could not complete the request; it is logged");
        }
    }
}
