package io.callpark.sip;

import io.callpark.park.Party;

import gov.nist.javax.sip.address.AddressFactoryImpl;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Who is behind a request, as far as the proxy vouches for it. */
public final class Identity {

    private static final AddressFactoryImpl ADDRESSES = new AddressFactoryImpl();

    private Identity() {
    }

    /**
     * The authenticated caller: the user Kamailio digest-authenticated (the {@code id} its seal vouches for; else
     * From), with the display name of the From header.
     */
    public static Party caller(Request request) {
        Party from = party(SipHeaders.from(request).getAddress());
        String id = ProxySeal.claims(request).get("id");
        return isAor(id) ? aor(id, from.displayName()) : from;
    }

    private static boolean isAor(String userAtDomain) {
        return userAtDomain != null && userAtDomain.indexOf('@') > 0
                && userAtDomain.lastIndexOf('@') < userAtDomain.length() - 1;
    }

    private static Party aor(String userAtDomain, String displayName) {
        int at = userAtDomain.lastIndexOf('@');
        return new Party("sip:" + userAtDomain.substring(0, at) + "@"
                + userAtDomain.substring(at + 1).toLowerCase(Locale.ROOT), displayName);
    }

    /**
     * The tenant whose trusted trunk (a carrier, an SBC) sent the request, as Kamailio vouches for it (the seal's
     * {@code trunk}): its caller is nobody Kamailio authenticated, whatever its From says.
     */
    public static Optional<String> trunkTenant(Request request) {
        String trunk = ProxySeal.claims(request).get("trunk");
        return trunk == null || trunk.isEmpty() ? Optional.empty() : Optional.of(trunk.toLowerCase(Locale.ROOT));
    }

    /**
     * The caller's extension if the caller is a user of the tenant. A trunk's caller never is: its From is the
     * carrier's word, and may well name a user of the tenant.
     */
    public static Optional<String> callerIn(Request request, String tenant) {
        return trunkTenant(request).isPresent() ? Optional.empty() : userIn(caller(request), tenant);
    }

    /**
     * The parker's extension if the parker is a user of the tenant: the user whose REFER sent the caller here, else
     * the caller ({@link #callerIn}: a trunk's caller parks only when a user sent it).
     */
    public static Optional<String> parkerIn(Request request, String tenant) {
        return isReferred(request) ? userIn(parker(request), tenant) : callerIn(request, tenant);
    }

    /**
     * Who parks: the user whose REFER sent the caller here, as Kamailio saw it (the seal's {@code by}), else the
     * caller. A Referred-By header is the phones' word and is never read.
     */
    public static Party parker(Request request) {
        String by = ProxySeal.claims(request).get("by");
        return isAor(by) ? aor(by, "") : caller(request);
    }

    /** Whether a REFER sent the request here, as Kamailio saw it (the seal names the referrer). */
    public static boolean isReferred(Request request) {
        return isAor(ProxySeal.claims(request).get("by"));
    }

    /** The IP address a request or an answer came from, as the proxy saw it (the seal's {@code src}). */
    public static Optional<String> sourceHost(javax.sip.message.Message message) {
        String src = ProxySeal.claims(message).get("src");
        int colon = src == null ? -1 : src.lastIndexOf(':');
        return colon > 0 ? Optional.of(src.substring(0, colon)) : Optional.empty();
    }

    /** The extensions of the request's tenant the proxy vouches exist: tails of the feature code (seal's subs). */
    public static Set<String> subscribers(Request request) {
        String subs = ProxySeal.claims(request).getOrDefault("subs", "");
        return Arrays.stream(subs.split("/")).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public static Party party(Address address) {
        String display = address.getDisplayName();
        return new Party(bareUri(address), display == null ? "" : display);
    }

    /** sip:user@host of an address, without parameters or port. */
    public static String bareUri(Address address) {
        if (address.getURI() instanceof SipURI sip) {
            String user = sip.getUser();
            return sip.getScheme() + ":" + (user == null ? "" : user + "@") + sip.getHost().toLowerCase(Locale.ROOT);
        }
        return address.getURI().toString();
    }

    /** user@host (lower case) of a name-addr as a leg keeps it ({@code "Carol" <sip:carol@acme.test>}); "" if none. */
    public static String aorOf(String nameAddr) {
        try {
            if (ADDRESSES.createAddress(nameAddr).getURI() instanceof SipURI sip && sip.getUser() != null) {
                return (sip.getUser() + "@" + sip.getHost()).toLowerCase(Locale.ROOT);
            }
        } catch (ParseException e) {
            // not a SIP name-addr: no user
        }
        return "";
    }

    /** The user part of a party's URI if it belongs to the tenant. */
    public static Optional<String> userIn(Party party, String tenant) {
        int colon = party.uri().indexOf(':');
        int at = party.uri().lastIndexOf('@');
        if (colon < 0 || at < colon) {
            return Optional.empty();
        }
        String host = party.uri().substring(at + 1);
        return host.equalsIgnoreCase(tenant) ? Optional.of(party.uri().substring(colon + 1, at)) : Optional.empty();
    }

    public static String tenantOf(Request request) {
        return SipHeaders.host(request.getRequestURI()).orElse("");
    }
}
