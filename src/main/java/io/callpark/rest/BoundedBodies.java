package io.callpark.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * No request body is read past {@link #MAX_BYTES}: one that announces more is refused before a byte of it is read,
 * and one that does not (chunked) is cut off where it passes the bound. Either way the client gets 413
 * {@code body-too-large}; nothing was changed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class BoundedBodies implements ContainerRequestFilter {

    /** Every body the API takes is a small JSON document. */
    static final int MAX_BYTES = 64 * 1024;

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > MAX_BYTES) {
            request.abortWith(tooLarge());
            return;
        }
        request.setEntityStream(new Bounded(request.getEntityStream()));
    }

    static Response tooLarge() {
        return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large", "Body too large",
                "a request body may have at most " + MAX_BYTES + " bytes; nothing was changed");
    }

    /** Reads on until the bound, then fails the request with 413. */
    private static final class Bounded extends FilterInputStream {

        private long read;

        Bounded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_BYTES) {
                throw new ProblemException(tooLarge());
            }
        }
    }
}
