package io.callpark.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

/**
 * No request body is read past {@link #MAX_BYTES}, or the larger bound of a method marked {@link LargeBody}: one that
 * announces more is refused before a byte of it is read, and one that does not (chunked) is cut off where it passes
 * the bound. Either way the client gets 413 {@code body-too-large}; nothing was changed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class BoundedBodies implements ContainerRequestFilter {

    /** Every body the API takes is a small JSON document. */
    static final int MAX_BYTES = 64 * 1024;

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource == null ? null : resource.getResourceMethod();
        LargeBody large = method == null ? null : method.getAnnotation(LargeBody.class);
        int bound = large == null ? MAX_BYTES : large.maxBytes();
        if (request.getLength() > bound) {
            request.abortWith(tooLarge(bound));
            return;
        }
        request.setEntityStream(new Bounded(request.getEntityStream(), bound));
    }

    static Response tooLarge(int bound) {
        return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large", "Body too large",
                "this request body may have at most " + bound + " bytes; nothing was changed");
    }

    /** Reads on until the bound, then fails the request with 413. */
    private static final class Bounded extends FilterInputStream {

        private final int bound;
        private long read;

        Bounded(InputStream in, int bound) {
            super(in);
            this.bound = bound;
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
            if (read > bound) {
                throw new ProblemException(tooLarge(bound));
            }
        }
    }
}
