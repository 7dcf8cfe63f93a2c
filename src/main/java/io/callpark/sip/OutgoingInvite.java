package io.callpark.sip;

import java.util.concurrent.CompletableFuture;

/**
 * An INVITE we sent out of dialog (to ring a phone): its final response, and a way to CANCEL it while it rings.
 * The future completes on the INVITE's Call-ID lane; after a CANCEL it still completes, with the 487 or with a 2xx
 * that crossed the CANCEL, or with a local 408 when the far side never answers.
 */
public record OutgoingInvite(String callId, CompletableFuture<javax.sip.message.Response> finalResponse,
                             Runnable cancel) {
}
