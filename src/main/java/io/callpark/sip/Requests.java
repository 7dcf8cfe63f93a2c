package io.callpark.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import io.callpark.park.DialogLeg;
import io.callpark.park.Party;

import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every request this node sends, built whole: in-dialog requests from a {@link DialogLeg} record (any node can
 * send them), the INVITE that rings a phone, the park-info NOTIFY. Nothing outside builds SIP headers.
 */
public final class Requests {

    private static final SecureRandom TAGS = new SecureRandom();

    private final String address;
    private final int port;
    private final ProxySeal seal;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();

    /**
     * @param address and {@code port}: this node's SIP socket, named in Via and Contact
     * @param seal    proves to the proxy that a request comes from a node: an out-of-dialog one is trusted (no
     *                digest), and none counts against the flood limit of the node's address
     */
    public Requests(String address, int port, ProxySeal seal) {
        this.address = address;
        this.port = port;
        this.seal = seal;
    }

    /** A request on the leg, with the leg's current CSeq (the caller advances it first). */
    public Request inDialog(DialogLeg leg, String method) {
        try {
            Address from = addresses.createAddress(leg.localParty());
            Address to = addresses.createAddress(leg.remoteParty());
            FromHeader fromHeader = headers.createFromHeader(from, leg.localTag());
            ToHeader toHeader = headers.createToHeader(to, leg.remoteTag());
            Request request = messages.createRequest(addresses.createURI(leg.remoteTarget()), method,
                    headers.createCallIdHeader(leg.callId()), headers.createCSeqHeader(leg.localCseq(), method),
                    fromHeader, toHeader, List.of(via()), headers.createMaxForwardsHeader(70));
            for (String route : leg.routeSet()) {
                request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
            }
            request.addHeader(contact());
            seal.seal(request, "");
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("call " + leg.callId() + ": cannot build " + method, e);
        }
    }

    /**
     * A NOTIFY of a subscription we granted (RFC 6665 4.2.1): {@code event} with its id ("" none), the
     * Subscription-State, the body, and our Contact with {@code contactUser}, which the watcher's refreshes name.
     */
    public Request subscriptionNotify(DialogLeg leg, String event, String eventId, String subscriptionState,
                                      String contactUser, String type, String subtype, String body) {
        Request notify = inDialog(leg, Request.NOTIFY);
        try {
            notify.addHeader(event(event, eventId));
            notify.addHeader(headers.createHeader(SubscriptionStateHeader.NAME, subscriptionState));
            notify.setHeader(contact(contactUser));
        } catch (ParseException e) {
            throw new IllegalArgumentException("call " + leg.callId() + ": cannot build NOTIFY " + event, e);
        }
        withBody(notify, type, subtype, body);
        return notify;
    }

    /**
     * A re-INVITE on the leg offering {@code sdp} and naming, in P-Asserted-Identity (RFC 3325), the party the
     * other side now talks to: phones show it in place of whoever they talked to before.
     */
    public Request reInviteFrom(DialogLeg leg, String sdp, Party party) {
        Request reInvite = inDialog(leg, Request.INVITE, sdp);
        try {
            reInvite.addHeader(assertedIdentity(party));
        } catch (ParseException e) {
            throw new IllegalArgumentException("call " + leg.callId() + ": cannot name " + party.uri(), e);
        }
        return reInvite;
    }

    /** P-Asserted-Identity: "Display" &lt;sip:user@tenant&gt;, what the proxy authenticated (or the stored party). */
    Header assertedIdentity(Party party) throws ParseException {
        Address address = addresses.createAddress(party.uri());
        if (!party.displayName().isEmpty()) {
            address.setDisplayName(party.displayName());
        }
        return headers.createHeader("P-Asserted-Identity", address.toString());
    }

    /**
     * A REFER on the leg passing on a party's blind transfer (RFC 3515): {@code referTo} as that party wrote it,
     * sealed with who refers ({@code by}, when the node can vouch for it) and who is referred ({@code transferee}),
     * both user@tenant: the proxy remembers them, so the transferee's INVITE to a park code parks with the right
     * parker.
     */
    public Request refer(DialogLeg leg, String referTo, Optional<String> by, String transferee) {
        Request refer = inDialog(leg, Request.REFER);
        try {
            refer.addHeader(headers.createReferToHeader(addresses.createAddress(referTo)));
        } catch (ParseException e) {
            throw new IllegalArgumentException("call " + leg.callId() + ": cannot refer to " + referTo, e);
        }
        seal.seal(refer, by.map(b -> "by=" + b + ";for=" + transferee).orElse(""));
        return refer;
    }

    /**
     * A NOTIFY on the leg that says what {@code original} said (its event package, Subscription-State, body), under
     * the Event id {@code eventId}: the relay of a transfer's progress.
     */
    public Request relayedNotify(DialogLeg leg, Request original, String eventId) {
        Request notify = inDialog(leg, Request.NOTIFY);
        Header state = original.getHeader(SubscriptionStateHeader.NAME);
        var type = (ContentTypeHeader) original.getHeader(ContentTypeHeader.NAME);
        byte[] body = original.getRawContent();
        try {
            notify.setHeader(event(SipHeaders.eventPackage(original).orElse("refer"), eventId));
            if (state != null) {
                notify.setHeader((Header) state.clone());
            }
            if (type != null && body != null) {
                notify.setContent(body, (ContentTypeHeader) type.clone());
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("call " + leg.callId() + ": cannot relay a NOTIFY", e);
        }
        seal.seal(notify, "");
        return notify;
    }

    /** An Event header of {@code type} with its {@code id} ("" for none: RFC 6665 8.2.1). */
    private EventHeader event(String type, String id) throws ParseException {
        EventHeader event = headers.createEventHeader(type);
        if (!id.isEmpty()) {
            event.setEventId(id);
        }
        return event;
    }

    /** A request on the leg carrying an SDP body (a re-INVITE's offer, an ACK's answer). */
    public Request inDialog(DialogLeg leg, String method, String sdp) {
        Request request = inDialog(leg, method);
        withBody(request, "application", "sdp", sdp);
        return request;
    }

    /**
     * A new INVITE that rings {@code toUri} on behalf of {@code from} (a name-addr), routed through the proxy.
     *
     * @param fromTag   our tag in the dialog the phone answers
     * @param alertInfo an Alert-Info value for a distinctive ring, or empty
     */
    public Request ringingInvite(String from, String fromTag, String toUri, Optional<String> alertInfo,
                                 String sdp) {
        Request invite = outOfDialog(Request.INVITE, from, fromTag, "<" + toUri + ">");
        try {
            invite.addHeader(contact());
            if (alertInfo.isPresent()) {
                invite.addHeader(headers.createHeader("Alert-Info", alertInfo.get()));
            }
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot ring " + toUri + " with Alert-Info " + alertInfo, e);
        }
        withBody(invite, "application", "sdp", sdp);
        return invite;
    }

    /** An out-of-dialog NOTIFY of {@code event} (subscription state active) to every device of {@code toUri}. */
    public Request notify(String fromUri, String toUri, String event, String type, String subtype, String body) {
        Request notify = outOfDialog(Request.NOTIFY, "<" + fromUri + ">", "<" + toUri + ">");
        try {
            notify.addHeader(headers.createEventHeader(event));
            notify.addHeader(headers.createSubscriptionStateHeader("active"));
            notify.addHeader(contact());
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot build NOTIFY " + event + " to " + toUri, e);
        }
        withBody(notify, type, subtype, body);
        return notify;
    }

    private Request outOfDialog(String method, String from, String to) {
        return outOfDialog(method, from, newTag(), to);
    }

    private Request outOfDialog(String method, String from, String fromTag, String to) {
        try {
            Address toAddress = addresses.createAddress(to);
            String callId = Long.toHexString(TAGS.nextLong()) + Long.toHexString(TAGS.nextLong()) + "@" + address;
            Request request = messages.createRequest(toAddress.getURI(), method, headers.createCallIdHeader(callId),
                    headers.createCSeqHeader(1L, method),
                    headers.createFromHeader(addresses.createAddress(from), fromTag),
                    headers.createToHeader(toAddress, null), List.of(via()), headers.createMaxForwardsHeader(70));
            seal.seal(request, "");
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalArgumentException("cannot build " + method + " to " + to, e);
        }
    }

    private void withBody(Request request, String type, String subtype, String body) {
        try {
            request.setContent(body.getBytes(StandardCharsets.UTF_8),
                    headers.createContentTypeHeader(type, subtype));
        } catch (ParseException e) {
            throw new IllegalArgumentException("content type " + type + "/" + subtype, e);
        }
    }

    /** Our Contact: where in-dialog requests for this node go (through the proxy's Record-Route). */
    ContactHeader contact() throws ParseException {
        return contact(null);
    }

    /** Our Contact with a user part (null: none) that requests in the dialog carry back in their Request-URI. */
    ContactHeader contact(String user) throws ParseException {
        SipURI uri = addresses.createSipURI(user, address);
        uri.setPort(port);
        uri.setTransportParam("udp");
        return headers.createContactHeader(addresses.createAddress(uri));
    }

    private ViaHeader via() throws ParseException, InvalidArgumentException {
        ViaHeader via = headers.createViaHeader(address, port, ListeningPoint.UDP, null);
        via.setRPort();
        return via;
    }

    /** A tag no one can guess from tags seen before (RFC 3261 19.3: cryptographically random). */
    public static String newTag() {
        return Long.toHexString(TAGS.nextLong() & Long.MAX_VALUE);
    }

    /**
     * Our leg as UAC of an INVITE that a 2xx answered: the far side's tag and Contact, the route set from the
     * 2xx's Record-Route in reverse (RFC 3261 12.1.2).
     */
    public static DialogLeg uacLeg(Response ok, long sdpSessionId, long sdpVersion) {
        List<String> routes = new ArrayList<>();
        var it = ok.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            routes.add(0, ((RecordRouteHeader) it.next()).getAddress().toString());
        }
        FromHeader from = SipHeaders.from(ok);
        ToHeader to = SipHeaders.to(ok);
        String target = SipHeaders.contact(ok).map(c -> c.getAddress().getURI().toString())
                .orElse(to.getAddress().getURI().toString());
        return new DialogLeg(SipHeaders.callId(ok), from.getTag(), to.getTag(),
                from.getAddress().toString(), to.getAddress().toString(), target, routes,
                SipHeaders.cseq(ok), sdpSessionId, sdpVersion, 0);
    }

    /**
     * Our leg as UAS of an INVITE we answer: the caller's tag and Contact, the route set from its Record-Route
     * in order (RFC 3261 12.1.1), a new tag of ours, a new SDP session.
     */
    public static DialogLeg uasLeg(Request request) {
        return uasLeg(request, newTag());
    }

    /** Record-Route entries a SUBSCRIBE may carry: the proxy's own (two when it joins UDP and TCP). */
    private static final int MAX_WATCH_ROUTES = 2;
    private static final int MAX_WATCH_URI = 256;

    /**
     * Our leg as the notifier of a SUBSCRIBE (RFC 6665): its NOTIFYs go to the address the SUBSCRIBE came from, as
     * the proxy's seal vouches ({@code src}; the Contact gives only user and parameters), so a key cannot aim them
     * at a third party; and its route set may name the proxy only (every Record-Route on the top one's host, at
     * most two). Empty for a SUBSCRIBE that breaks either.
     */
    public static Optional<DialogLeg> watcherLeg(Request request) {
        String src = ProxySeal.claims(request).get("src");
        int colon = src == null ? -1 : src.lastIndexOf(':');
        Optional<SipURI> contact = SipHeaders.contact(request).map(c -> c.getAddress().getURI())
                .flatMap(SipHeaders::sipUri);
        List<String> hosts = new ArrayList<>();
        for (var it = request.getHeaders(RecordRouteHeader.NAME); it.hasNext(); ) {
            var route = (RecordRouteHeader) it.next();
            if (route.getAddress().toString().length() > MAX_WATCH_URI) {
                return Optional.empty();
            }
            hosts.add(SipHeaders.host(route.getAddress().getURI()).orElse(""));
        }
        if (colon < 1 || contact.isEmpty() || hosts.size() > MAX_WATCH_ROUTES
                || hosts.stream().distinct().count() > 1) {
            return Optional.empty();
        }
        try {
            SipURI target = (SipURI) contact.get().clone();
            target.setHost(src.substring(0, colon));
            target.setPort(Integer.parseInt(src.substring(colon + 1)));
            if (target.toString().length() > MAX_WATCH_URI) {
                return Optional.empty();
            }
            DialogLeg leg = uasLeg(request);
            return Optional.of(leg.withRemoteTarget(target.toString()));
        } catch (ParseException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@link #uasLeg(Request)} with the tag we give the dialog. */
    public static DialogLeg uasLeg(Request request, String localTag) {
        String target = SipHeaders.contact(request).map(c -> c.getAddress().getURI().toString())
                .orElse(SipHeaders.from(request).getAddress().getURI().toString());
        List<String> routes = new ArrayList<>();
        var it = request.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            routes.add(((RecordRouteHeader) it.next()).getAddress().toString());
        }
        long sessionId = ThreadLocalRandom.current().nextLong(1, Integer.MAX_VALUE);
        return new DialogLeg(SipHeaders.callId(request), localTag, SipHeaders.from(request).getTag(),
                SipHeaders.to(request).getAddress().toString(), SipHeaders.from(request).getAddress().toString(),
                target, routes, ThreadLocalRandom.current().nextInt(1, 10_000), sessionId, 1, SipHeaders.cseq(request));
    }
}
