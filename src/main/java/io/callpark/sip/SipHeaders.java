package io.callpark.sip;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ReferToHeader;
import gov.nist.javax.sip.header.extensions.ReplacesHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderAddress;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** Read-only helpers over JAIN-SIP messages. */
public final class SipHeaders {

    private SipHeaders() {
    }

    public static String callId(Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    public static long cseq(Message message) {
        return ((CSeqHeader) message.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    public static String cseqMethod(Message message) {
        return ((CSeqHeader) message.getHeader(CSeqHeader.NAME)).getMethod();
    }

    public static FromHeader from(Message message) {
        return (FromHeader) message.getHeader(FromHeader.NAME);
    }

    public static ToHeader to(Message message) {
        return (ToHeader) message.getHeader(ToHeader.NAME);
    }

    public static Optional<ContactHeader> contact(Message message) {
        return Optional.ofNullable((ContactHeader) message.getHeader(ContactHeader.NAME));
    }

    /** The URI of the message's Contact, if it has one: the sender's remote target (RFC 3261 12.2). */
    public static Optional<String> contactUri(Message message) {
        return contact(message).map(c -> c.getAddress().getURI().toString());
    }

    /** The URI of a REFER's Refer-To, with its headers (Replaces) if any; empty without one. */
    public static Optional<String> referTo(Request request) {
        return Optional.ofNullable((ReferToHeader) request.getHeader(ReferToHeader.NAME))
                .map(r -> r.getAddress().getURI().toString());
    }

    /** The dialog a Replaces header (RFC 3891) names: its Call-ID and the two tags as the header gives them. */
    public record DialogIds(String callId, String toTag, String fromTag) {
    }

    public static Optional<DialogIds> replaces(Request request) {
        return Optional.ofNullable((ReplacesHeader) request.getHeader(ReplacesHeader.NAME))
                .filter(r -> r.getCallId() != null && r.getToTag() != null && r.getFromTag() != null)
                .map(r -> new DialogIds(r.getCallId(), r.getToTag(), r.getFromTag()));
    }

    /** Whether a NOTIFY's Subscription-State is terminated. */
    public static boolean subscriptionTerminated(Message message) {
        var state = (javax.sip.header.SubscriptionStateHeader) message.getHeader(
                javax.sip.header.SubscriptionStateHeader.NAME);
        return state != null && "terminated".equalsIgnoreCase(state.getState());
    }

    /** A URI without its headers ({@code ?Replaces=...}): what a log may show of it. */
    public static String withoutHeaders(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query) + "?...";
    }

    /** The Request-URI as it was sent. */
    public static String requestUri(Request request) {
        return request.getRequestURI().toString();
    }

    public static Optional<SipURI> sipUri(URI uri) {
        return uri instanceof SipURI sip ? Optional.of(sip) : Optional.empty();
    }

    public static Optional<String> user(URI uri) {
        return sipUri(uri).map(SipURI::getUser);
    }

    public static Optional<String> host(URI uri) {
        return sipUri(uri).map(s -> s.getHost().toLowerCase(Locale.ROOT));
    }

    public static Optional<String> sdpBody(Message message) {
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        byte[] raw = message.getRawContent();
        if (type == null || raw == null || raw.length == 0) {
            return Optional.empty();
        }
        if (!"application".equalsIgnoreCase(type.getContentType())
                || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return Optional.empty();
        }
        return Optional.of(new String(raw, StandardCharsets.UTF_8));
    }

    /** The event package of a SUBSCRIBE or NOTIFY (RFC 6665 8.2.1), lower case; empty without an Event header. */
    public static Optional<String> eventPackage(Message message) {
        return Optional.ofNullable((EventHeader) message.getHeader(EventHeader.NAME))
                .map(e -> e.getEventType().toLowerCase(Locale.ROOT));
    }

    /** The {@code id} of the Event header, "" when none (RFC 6665 8.2.1: repeated in every NOTIFY). */
    public static String eventId(Message message) {
        EventHeader event = (EventHeader) message.getHeader(EventHeader.NAME);
        return event == null || event.getEventId() == null ? "" : event.getEventId();
    }

    /** The Expires header's seconds, if there is one. */
    public static OptionalInt expires(Message message) {
        ExpiresHeader expires = (ExpiresHeader) message.getHeader(ExpiresHeader.NAME);
        return expires == null ? OptionalInt.empty() : OptionalInt.of(expires.getExpires());
    }

    /**
     * Whether the request accepts a body of {@code type/subtype}: it names no Accept header at all (RFC 6665 8.2.1:
     * then the package's default, which is this one) or one whose value matches, wildcards included.
     */
    public static boolean accepts(Request request, String type, String subtype) {
        var accepts = request.getHeaders(AcceptHeader.NAME);
        if (!accepts.hasNext()) {
            return true;
        }
        while (accepts.hasNext()) {
            AcceptHeader accept = (AcceptHeader) accepts.next();
            if (matches(accept.getContentType(), type) && matches(accept.getContentSubType(), subtype)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String accepted, String wanted) {
        return accepted == null || "*".equals(accepted) || accepted.equalsIgnoreCase(wanted);
    }

    public static boolean isInitial(Request request) {
        return to(request).getTag() == null;
    }
}
