package io.callpark.sip;

import io.callpark.park.Party;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import java.util.Locale;
import java.util.Optional;

/** Who is behind a request, as far as the proxy vouches for it. */
public final class Identity {

    public static final String REFERRED_BY = "Referred-By";

    private Identity() {
    }

    /**
     * The authenticated caller: the user Kamailio digest-authenticated (the {@code id} its seal vouches for; else
     * From), with the display name of the From header.
     */
    public static Party caller(Request request) {
        Party from = party(SipHeaders.from(request).getAddress());
        String id = ProxySeal.claims(request).get("id");
        return id == null || id.indexOf('@') <= 0 ? from
                : new Party("sip:" + id.substring(0, id.lastIndexOf('@')) + "@"
                        + id.substring(id.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT), from.displayName());
    }

    public static Optional<Party> referredBy(Request request) {
        return SipHeaders.addressOf(request, REFERRED_BY).map(Identity::party);
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
