package io.callpark.media;

import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;
import io.callpark.park.AudioOffer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpCodecTest {

    private static final String OFFER = "v=0\r\no=alice 1 1 IN IP4 127.0.0.9\r\ns=-\r\nc=IN IP4 127.0.0.9\r\n"
            + "t=0 0\r\nm=audio 40000 RTP/AVP 8 0 96 18\r\na=rtpmap:96 telephone-event/8000\r\na=sendonly\r\n";

    @Test
    void readsAddressCodecsInOrderDtmfAndDirection() throws Exception {
        AudioOffer offer = SdpCodec.parse(OFFER);
        assertEquals("127.0.0.9", offer.host());
        assertEquals(40000, offer.port());
        assertEquals(List.of(8, 0), offer.codecs());
        assertEquals(96, offer.telephoneEvent());
        assertEquals(MediaDirection.SENDONLY, offer.direction());
    }

    @Test
    void answerKeepsOfferedLawsAndDtmfTypeAndReversesDirection() throws Exception {
        AudioOffer offer = SdpCodec.parse(OFFER);
        MediaBinding media = MediaBinding.of("n1", 20002, offer);
        String answer = SdpCodec.musicSdp("127.0.0.1", 20002, media, offer.direction().answer(), 7, 1);
        assertTrue(answer.contains("m=audio 20002 RTP/AVP 8 0 96\r\n"), answer);
        assertTrue(answer.contains("a=rtpmap:96 telephone-event/8000"), answer);
        assertTrue(answer.contains("a=recvonly"), answer);
        assertTrue(answer.contains("o=callpark 7 1 IN IP4 127.0.0.1"), answer);
    }

    @Test
    void refusesOffersWithoutG711OrAudio() {
        assertThrows(MediaRejectedException.class, () -> SdpCodec.parse(OFFER.replace("8 0 96 18", "18 96")));
        assertThrows(MediaRejectedException.class, () -> SdpCodec.parse(OFFER.replace("m=audio 40000", "m=audio 0")));
        assertThrows(MediaRejectedException.class, () -> SdpCodec.parse("this is not sdp"));
    }

    @Test
    void refusesHostNamesAndTreatsZeroAddressAsHold() throws Exception {
        assertThrows(MediaRejectedException.class,
                () -> SdpCodec.parse(OFFER.replace("c=IN IP4 127.0.0.9", "c=IN IP4 phone.example")));
        AudioOffer hold = SdpCodec.parse(OFFER.replace("c=IN IP4 127.0.0.9", "c=IN IP4 0.0.0.0")
                .replace("a=sendonly", "a=sendrecv"));
        assertEquals(MediaDirection.INACTIVE, hold.direction());
    }

    @Test
    void refusesHostileSdpWithAReason() {
        String c = "c=IN IP4 127.0.0.9";
        java.util.Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("no address", OFFER.replace(c + "\r\n", ""));
        hostile.put("IPv6 colon only", OFFER.replace(c, "c=IN IP6 :"));
        hostile.put("IPv6 garbage", OFFER.replace(c, "c=IN IP6 ::1::2"));
        hostile.put("octet past 255", OFFER.replace(c, "c=IN IP4 127.0.0.300"));
        hostile.put("host name", OFFER.replace(c, "c=IN IP4 localhost"));
        hostile.put("multicast", OFFER.replace(c, "c=IN IP4 224.0.0.1"));
        hostile.put("port 0", OFFER.replace("m=audio 40000", "m=audio 0"));
        hostile.put("port past 65535", OFFER.replace("m=audio 40000", "m=audio 70000"));
        hostile.put("many m= lines", OFFER + "m=audio 40002 RTP/AVP 0\r\n".repeat(20));
        hostile.put("64 KB", OFFER + ("a=x-pad:" + "x".repeat(1000) + "\r\n").repeat(64));
        hostile.forEach((what, sdp) -> {
            MediaRejectedException e = assertThrows(MediaRejectedException.class, () -> SdpCodec.parse(sdp), what);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what);
        });
        MediaRejectedException big = assertThrows(MediaRejectedException.class,
                () -> SdpCodec.parse(hostile.get("64 KB")));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());
    }

    @Test
    void pointsEveryConnectionAtTheSignallingAddress() throws Exception {
        String twoLevels = OFFER.replace("a=sendonly\r\n", "c=IN IP4 127.0.0.77\r\na=sendrecv\r\n");
        String pointed = SdpCodec.pointedAt(twoLevels, "127.0.0.5");
        assertTrue(pointed.contains("c=IN IP4 127.0.0.5"), pointed);
        assertTrue(!pointed.contains("c=IN IP4 127.0.0.9") && !pointed.contains("127.0.0.77"), pointed);
        assertEquals("127.0.0.5", SdpCodec.parse(pointed).host());
        String hold = OFFER.replace("c=IN IP4 127.0.0.9", "c=IN IP4 0.0.0.0");
        assertTrue(SdpCodec.pointedAt(hold, "127.0.0.5").contains("c=IN IP4 0.0.0.0"), "hold stays hold");
        assertTrue(SdpCodec.pointedAt(OFFER.replace("c=IN IP4 127.0.0.9", "c=IN IP6 :"), "127.0.0.5")
                .contains("c=IN IP4 127.0.0.5"), "whatever it named, it now names the sender");
        assertThrows(MediaRejectedException.class, () -> SdpCodec.pointedAt(OFFER.replace(
                "c=IN IP4 127.0.0.9\r\n", ""), "127.0.0.5"), "no c= at all");
    }

    @Test
    void pointsAnySdpOfAJoinedPartyWhateverItsCodecsAndItsOwnAddresses() throws Exception {
        String g722Only = "v=0\r\no=phone 1 1 IN IP4 127.0.0.9\r\ns=-\r\nc=IN IP4 127.0.0.9\r\nt=0 0\r\n"
                + "m=audio 40000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\na=rtcp:40001 IN IP4 127.0.0.66\r\n"
                + "a=candidate:1 1 UDP 2130706431 127.0.0.66 40000 typ host\r\na=sendonly\r\n";
        String pointed = SdpCodec.pointedAt(g722Only, "127.0.0.5");
        assertTrue(pointed.contains("m=audio 40000 RTP/AVP 9"), "a codec we do not play is the phones' business");
        assertTrue(pointed.contains("c=IN IP4 127.0.0.5") && pointed.contains("a=rtcp:40001 IN IP4 127.0.0.5"),
                pointed);
        assertTrue(!pointed.contains("127.0.0.66") && !pointed.contains("candidate"),
                "no ICE candidate names another address: " + pointed);
        assertTrue(pointed.contains("a=sendonly"), "hold by direction stays");
    }

    @Test
    void rewritesOnlyTheOrigin() throws Exception {
        String out = SdpCodec.withOrigin(OFFER, "127.0.0.1", 55, 9);
        assertTrue(out.contains("o=callpark 55 9 IN IP4 127.0.0.1"), out);
        assertTrue(out.contains("m=audio 40000 RTP/AVP 8 0 96 18"), out);
        assertTrue(out.contains("c=IN IP4 127.0.0.9"), out);
    }
}
