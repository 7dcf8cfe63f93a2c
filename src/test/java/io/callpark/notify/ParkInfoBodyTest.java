package io.callpark.notify;

import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.RecallState;
import io.callpark.park.DialogLeg;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ParkInfoBodyTest {

    private static ParkedCall call() {
        DialogLeg leg = new DialogLeg("cid", "lt", "rt", "<sip:*68103@acme.test>", "<sip:c@acme.test>",
                "sip:c@127.0.0.9", List.of(), 1, 1, 1, 0);
        return new ParkedCall("123456", "acme.test", "103", new Party("sip:101@acme.test", "Bob & \"Co\""),
                new Party("sip:c@acme.test", ""), 1_700_000_000_000L, ParkState.PARKED, null, null, leg,
                new MediaBinding("n1", 20000, "127.0.0.9", 4000, List.of(0), -1, MediaDirection.SENDRECV),
                List.of("sip:103@acme.test"), RecallState.NONE, false);
    }

    private static Element park(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ParkInfoBody.NAMESPACE, doc.getDocumentElement().getNamespaceURI());
        return (Element) doc.getElementsByTagNameNS(ParkInfoBody.NAMESPACE, "park").item(0);
    }

    @Test
    void parkedCarriesEveryFieldEscaped() throws Exception {
        Element park = park(ParkInfoBody.render(call(), "parked", Optional.empty(), "*88"));
        assertEquals("123456", park.getAttribute("id"));
        assertEquals("parked", park.getAttribute("state"));
        assertEquals("103", park.getAttribute("extension"));
        assertEquals("2023-11-14T22:13:20Z", park.getAttribute("parked-at"));
        Element parker = (Element) park.getElementsByTagNameNS(ParkInfoBody.NAMESPACE, "parker").item(0);
        assertEquals("Bob & \"Co\"", parker.getAttribute("display"));
        assertEquals("sip:101@acme.test", parker.getTextContent());
        assertEquals("sip:*88*123456@acme.test",
                park.getElementsByTagNameNS(ParkInfoBody.NAMESPACE, "retrieve").item(0).getTextContent());
        assertFalse(park.hasAttribute("left-at"));
    }

    @Test
    void leavingStatesSayWhenTheCallLeft() throws Exception {
        Element park = park(ParkInfoBody.render(call(), "abandoned",
                Optional.of(Instant.parse("2026-01-01T00:00:00Z")), "*88"));
        assertEquals("abandoned", park.getAttribute("state"));
        assertEquals("2026-01-01T00:00:00Z", park.getAttribute("left-at"));
    }
}
