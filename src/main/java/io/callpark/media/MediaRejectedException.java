package io.callpark.media;

/** An SDP we cannot work with; the message says why in words fit for a Warning header. */
public class MediaRejectedException extends Exception {

    public MediaRejectedException(String message) {
        super(message);
    }

    public MediaRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
