package io.callpark.store;

/** A cache entry changed under every one of our compare-and-set attempts: the caller may try again later. */
public final class ConcurrentChangeException extends RuntimeException {

    ConcurrentChangeException(String message) {
        super(message);
    }
}
