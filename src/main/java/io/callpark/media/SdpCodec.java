package io.callpark.media;

import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;
import io.callpark.park.AudioOffer;

import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.MediaDescription;
import javax.sdp.Origin;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SdpParseException;
import javax.sdp.SessionDescription;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Vector;
import java.util.regex.Pattern;

/**
 * Reads audio offers and writes our SDP, with JAIN-SIP's SDP implementation. Only G.711 (PCMU 0, PCMA 8) is
 * played; telephone-event is accepted so DTMF can come back later.
 */
public final class SdpCodec {

    public static final int PCMU = 0;
    public static final int PCMA = 8;
    private static final int OUR_TELEPHONE_EVENT = 101;
    private static final String ORIGIN_USER = "callpark";
    /** Far more than any phone's offer (one audio stream, a few codecs): a bigger SDP is refused unread. */
    public static final int MAX_SDP_CHARS = 4096;
    private static final int MAX_MEDIA_LINES = 8;
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private SdpCodec() {
    }

    /** The SDP read, unless it is larger or has more m= lines than any phone's: those are refused unread. */
    private static SessionDescription bounded(String sdp) throws MediaRejectedException, SdpException {
        if (sdp.length() > MAX_SDP_CHARS) {
            throw new MediaRejectedException("SDP of " + sdp.length() + " characters is too large (at most "
                    + MAX_SDP_CHARS + ")");
        }
        SessionDescription session = SdpFactory.getInstance().createSessionDescription(sdp);
        Vector<?> streams = session.getMediaDescriptions(false);
        if (streams != null && streams.size() > MAX_MEDIA_LINES) {
            throw new MediaRejectedException("SDP has " + streams.size() + " m= lines (at most " + MAX_MEDIA_LINES
                    + ")");
        }
        return session;
    }

    public static AudioOffer parse(String sdp) throws MediaRejectedException {
        try {
            SessionDescription session = bounded(sdp);
            MediaDescription audio = firstAudio(session);
            Connection connection = audio.getConnection() != null ? audio.getConnection() : session.getConnection();
            if (connection == null) {
                throw new MediaRejectedException("SDP has no c= line for audio");
            }
            List<Integer> codecs = new ArrayList<>();
            for (Object format : audio.getMedia().getMediaFormats(true)) {
                int pt = Integer.parseInt(format.toString().trim());
                if (pt == PCMU || pt == PCMA) {
                    codecs.add(pt);
                }
            }
            if (codecs.isEmpty()) {
                throw new MediaRejectedException("no common codec: offer PCMU or PCMA");
            }
            String host = connection.getAddress();
            InetAddress address = ipLiteral(host);
            int port = audio.getMedia().getMediaPort();
            if (port < 1 || port > 65535) {
                throw new MediaRejectedException("m=audio port " + port + " is out of range");
            }
            MediaDirection direction = direction(session, audio);
            if (address.isAnyLocalAddress()) {
                direction = MediaDirection.INACTIVE; // RFC 2543 hold
            }
            return new AudioOffer(host, port, codecs, telephoneEvent(audio), direction);
        } catch (SdpException | NumberFormatException e) {
            throw new MediaRejectedException("SDP cannot be parsed: " + e.getMessage(), e);
        }
    }

    /**
     * SDP one party of a join sent (an offer or an answer, any codecs, any direction) with every address pointing at
     * {@code host}, where the proxy saw it come from: what the other party's phone is given, so that it sends RTP
     * only where that party is. A c= of 0.0.0.0 (RFC 2543 hold) stays; ICE candidates, which name addresses of
     * their own, are removed, and an a=rtcp address is pointed at {@code host} too. Refused: SDP that cannot be
     * read, one larger than {@link #MAX_SDP_CHARS}, with more than 8 m= lines or a stream without a c=.
     */
    public static String pointedAt(String sdp, String host) throws MediaRejectedException {
        String ipVersion = ipVersion(host);
        try {
            SdpFactory sdpFactory = SdpFactory.getInstance();
            SessionDescription session = bounded(sdp);
            Vector<?> media = session.getMediaDescriptions(false);
            if (session.getConnection() != null && !isHold(session.getConnection())) {
                session.setConnection(sdpFactory.createConnection("IN", ipVersion, host));
            }
            withoutOwnAddresses(session.getAttributes(false), host, ipVersion);
            if (media != null) {
                for (Object m : media) {
                    MediaDescription description = (MediaDescription) m;
                    if (description.getConnection() == null && session.getConnection() == null) {
                        throw new MediaRejectedException("SDP has no c= line for an m= line");
                    }
                    if (description.getConnection() != null && !isHold(description.getConnection())) {
                        description.setConnection(sdpFactory.createConnection("IN", ipVersion, host));
                    }
                    withoutOwnAddresses(description.getAttributes(false), host, ipVersion);
                }
            }
            return session.toString();
        } catch (SdpException | RuntimeException e) {
            throw new MediaRejectedException("SDP cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static boolean isHold(Connection connection) throws SdpParseException {
        return "0.0.0.0".equals(connection.getAddress());
    }

    /** Drops ICE candidates and points an a=rtcp address (RFC 3605: port IN IP4 address) at {@code host}. */
    private static void withoutOwnAddresses(Vector<?> attributes, String host, String ipVersion)
            throws SdpException {
        if (attributes == null) {
            return;
        }
        for (java.util.Iterator<?> it = attributes.iterator(); it.hasNext(); ) {
            Attribute attribute = (Attribute) it.next();
            String name = attribute.getName();
            if ("candidate".equalsIgnoreCase(name) || "remote-candidates".equalsIgnoreCase(name)) {
                it.remove();
            } else if ("rtcp".equalsIgnoreCase(name) && attribute.getValue() != null) {
                String[] parts = attribute.getValue().trim().split("\\s+");
                if (parts.length == 4) {
                    attribute.setValue(parts[0] + " IN " + ipVersion + " " + host);
                }
            }
        }
    }

    /** A unicast IP address literal: never a host name (no lookup happens), a multicast group or garbage. */
    private static InetAddress ipLiteral(String host) throws MediaRejectedException {
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && !(host.contains(":") && IPV6.matcher(host).matches())) {
            throw new MediaRejectedException("c= must be an IP address, not " + host);
        }
        try {
            InetAddress address = InetAddress.ofLiteral(host);
            if (address.isMulticastAddress()) {
                throw new MediaRejectedException("c= " + host + " is a multicast address");
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new MediaRejectedException("c= " + host + " is not a valid IP address");
        }
    }

    /** The audio of an SDP we only learn from (an answer): empty if it is unusable. */
    public static java.util.Optional<AudioOffer> tryParse(String sdp) {
        try {
            return java.util.Optional.of(parse(sdp));
        } catch (MediaRejectedException e) {
            return java.util.Optional.empty();
        }
    }

    private static MediaDescription firstAudio(SessionDescription session) throws SdpException, MediaRejectedException {
        Vector<?> media = session.getMediaDescriptions(false);
        if (media != null) {
            for (Object m : media) {
                MediaDescription md = (MediaDescription) m;
                if ("audio".equalsIgnoreCase(md.getMedia().getMediaType()) && md.getMedia().getMediaPort() != 0) {
                    return md;
                }
            }
        }
        throw new MediaRejectedException("SDP has no active audio stream");
    }

    private static int telephoneEvent(MediaDescription audio) throws SdpException {
        Vector<?> attributes = audio.getAttributes(false);
        if (attributes == null) {
            return -1;
        }
        for (Object a : attributes) {
            Attribute attribute = (Attribute) a;
            if ("rtpmap".equalsIgnoreCase(attribute.getName()) && attribute.getValue() != null) {
                String[] parts = attribute.getValue().trim().split("\\s+", 2);
                if (parts.length == 2 && parts[1].toLowerCase(Locale.ROOT).startsWith("telephone-event/8000")) {
                    return Integer.parseInt(parts[0]);
                }
            }
        }
        return -1;
    }

    private static MediaDirection direction(SessionDescription session, MediaDescription audio) throws SdpException {
        MediaDirection direction = directionIn(audio.getAttributes(false));
        if (direction == null) {
            direction = directionIn(session.getAttributes(false));
        }
        return direction == null ? MediaDirection.SENDRECV : direction;
    }

    private static MediaDirection directionIn(Vector<?> attributes) throws SdpException {
        if (attributes != null) {
            for (Object a : attributes) {
                String name = ((Attribute) a).getName().toLowerCase(Locale.ROOT);
                switch (name) {
                    case "sendrecv", "sendonly", "recvonly", "inactive" -> {
                        return MediaDirection.parse(name);
                    }
                    default -> { }
                }
            }
        }
        return null;
    }

    /**
     * Our SDP for music on hold, as answer or offer: the G.711 laws the caller accepts (the one we send first), and
     * telephone-event under the caller's payload type so its DTMF can reach us.
     */
    public static String musicSdp(String address, int port, MediaBinding media, MediaDirection direction,
                                  long sessionId, long version) {
        return audioSdp(address, address, port, media, direction, sessionId, version);
    }

    /**
     * An offer made for the parked caller to a phone that is to be joined with it: the caller's own media address
     * and codecs (so the phone's RTP goes straight to the caller), under our origin.
     */
    public static String offerForCaller(String ourAddress, MediaBinding caller, long sessionId, long version) {
        return audioSdp(ourAddress, caller.remoteHost(), caller.remotePort(), caller, MediaDirection.SENDRECV,
                sessionId, version);
    }

    private static String audioSdp(String origin, String address, int port, MediaBinding media,
                                   MediaDirection direction, long sessionId, long version) {
        int te = media.telephoneEvent() >= 0 ? media.telephoneEvent() : OUR_TELEPHONE_EVENT;
        StringBuilder formats = new StringBuilder();
        StringBuilder rtpmaps = new StringBuilder();
        for (int pt : media.codecs()) {
            formats.append(pt).append(' ');
            rtpmaps.append("a=rtpmap:").append(pt).append(pt == PCMU ? " PCMU/8000" : " PCMA/8000").append("\r\n");
        }
        return "v=0\r\n"
                + "o=" + ORIGIN_USER + " " + sessionId + " " + version + " IN " + ipVersion(origin) + " " + origin + "\r\n"
                + "s=callpark\r\n"
                + "c=IN " + ipVersion(address) + " " + address + "\r\n"
                + "t=0 0\r\n"
                + "m=audio " + port + " RTP/AVP " + formats + te + "\r\n"
                + rtpmaps
                + "a=rtpmap:" + te + " telephone-event/8000\r\n"
                + "a=fmtp:" + te + " 0-16\r\n"
                + "a=ptime:20\r\n"
                + "a=" + direction.attribute() + "\r\n";
    }

    private static String ipVersion(String address) {
        return address.contains(":") ? "IP6" : "IP4";
    }

    /**
     * Another party's SDP, passed to this leg under this leg's own origin: the o= line keeps the session id the leg
     * has seen and carries the version we give it (RFC 3264 8), whoever wrote the media lines.
     */
    public static String withOrigin(String sdp, String address, long sessionId, long version)
            throws MediaRejectedException {
        try {
            SessionDescription session = SdpFactory.getInstance().createSessionDescription(sdp);
            Origin origin = SdpFactory.getInstance().createOrigin(ORIGIN_USER, sessionId, version, "IN",
                    ipVersion(address), address);
            session.setOrigin(origin);
            return session.toString();
        } catch (SdpException e) {
            throw new MediaRejectedException("SDP cannot be parsed: " + e.getMessage(), e);
        }
    }
}
