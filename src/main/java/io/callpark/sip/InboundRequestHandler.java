package io.callpark.sip;

/** The application side of the SIP edge: gets trusted requests, one Call-ID at a time, off the stack threads. */
public interface InboundRequestHandler {

    void handle(InboundRequest request);
}
