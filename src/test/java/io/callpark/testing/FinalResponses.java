package io.callpark.testing;

import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.message.Response;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client transactions a test user agent waits on: each completes with its final response, or with a local 408
 * when the stack times it out. The UA's listener hands its response and timeout events here.
 */
final class FinalResponses {

    private final Map<ClientTransaction, CompletableFuture<Response>> waiting = new ConcurrentHashMap<>();

    /** The final response to come in {@code tx} (register before sending it). */
    CompletableFuture<Response> of(ClientTransaction tx) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        waiting.put(tx, future);
        return future;
    }

    void response(ResponseEvent event) {
        if (event.getClientTransaction() != null && event.getResponse().getStatusCode() >= 200) {
            CompletableFuture<Response> future = waiting.remove(event.getClientTransaction());
            if (future != null) {
                future.complete(event.getResponse());
            }
        }
    }

    void timeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        CompletableFuture<Response> future = waiting.remove(event.getClientTransaction());
        if (future != null) {
            try {
                future.complete(new MessageFactoryImpl().createResponse(Response.REQUEST_TIMEOUT,
                        event.getClientTransaction().getRequest()));
            } catch (ParseException e) {
                future.completeExceptionally(e);
            }
        }
    }
}
