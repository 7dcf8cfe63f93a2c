package io.callpark.notify;

import io.callpark.park.Calls;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dialog-info+xml a BLF key reads: what waits at the slot, who, and how to take it. */
class DialogInfoBodyTest {

    private static final String ENTITY = "sip:*88103@acme.test";

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Element parent, String namespace, String name) {
        return parent.getElementsByTagNameNS(namespace, name).item(0).getTextContent();
    }

    @Test
    void nothingWaitingIsAFullDocumentWithoutDialogs() throws Exception {
        Element root = parse(DialogInfoBody.render(ENTITY, 0, List.of(), "*88")).getDocumentElement();
        assertEquals(DialogInfoBody.NAMESPACE, root.getNamespaceURI());
        assertEquals("dialog-info", root.getLocalName());
        assertEquals("full", root.getAttribute("state"));
        assertEquals("0", root.getAttribute("version"));
        assertEquals(ENTITY, root.getAttribute("entity"));
        assertEquals(0, root.getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "dialog").getLength());
    }

    @Test
    void eachWaitingCallIsAConfirmedDialogNamingTheCallerAndHowToTakeIt() throws Exception {
        ParkedCall first = Calls.parked("111111", "103", "call-1@127.0.0.5", 1_000);
        ParkedCall ringing = Calls.parked("222222", "103", "call-2@127.0.0.6", 2_000)
                .claimed(ParkState.RINGING, "ring-1", "node1");
        Element root = parse(DialogInfoBody.render(ENTITY, 7, List.of(first, ringing), "*88")).getDocumentElement();
        assertEquals("7", root.getAttribute("version"));
        NodeList dialogs = root.getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "dialog");
        assertEquals(2, dialogs.getLength());

        Element waits = (Element) dialogs.item(0);
        assertEquals("111111", waits.getAttribute("id"));
        assertEquals("confirmed", text(waits, DialogInfoBody.NAMESPACE, "state"));
        Element remote = (Element) waits.getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "remote").item(0);
        Element caller = (Element) remote.getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "identity").item(0);
        assertEquals(first.parked().uri(), caller.getTextContent());
        assertEquals(first.parked().displayName(), caller.getAttribute("display"));
        Element local = (Element) waits.getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "local").item(0);
        assertEquals("sip:*88*111111@acme.test", ((Element) local.getElementsByTagNameNS(DialogInfoBody.NAMESPACE,
                "target").item(0)).getAttribute("uri"), "the URI that takes exactly this call");
        assertEquals("sip:*88*111111@acme.test", ((Element) remote.getElementsByTagNameNS(DialogInfoBody.NAMESPACE,
                "target").item(0)).getAttribute("uri"), "a key that dials the remote target takes it too");
        Element parked = (Element) waits.getElementsByTagNameNS(DialogInfoBody.BROADWORKS_CALLPARK, "parked").item(0);
        assertEquals(first.parked().uri(), parked.getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "identity").item(0)
                .getTextContent(), "BroadWorks' call park element names the caller too");

        assertEquals("early", text((Element) dialogs.item(1), DialogInfoBody.NAMESPACE, "state"),
                "a call whose recall rings phones: the key flashes");
    }

    @Test
    void displayNamesAreEscaped() throws Exception {
        ParkedCall call = Calls.parked("111111", "103", "call-1@127.0.0.5", 1_000);
        ParkedCall odd = new ParkedCall(call.parkId(), call.tenant(), call.extension(), call.parker(),
                new io.callpark.park.Party("sip:carol@acme.test", "<Carol & \"Co\">"), call.parkedAt(), call.state(),
                null, null, call.leg(), call.media(), call.notifyTargets(), call.recall(), false);
        Element caller = (Element) parse(DialogInfoBody.render(ENTITY, 1, List.of(odd), "*88"))
                .getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "identity").item(1);
        assertEquals("<Carol & \"Co\">", caller.getAttribute("display"));
    }

    @Test
    void controlCharactersOfACallersNameNeverBreakTheDocument() throws Exception {
        ParkedCall call = Calls.parked("111111", "103", "call-1@127.0.0.5", 1_000);
        ParkedCall odd = new ParkedCall(call.parkId(), call.tenant(), call.extension(), call.parker(),
                new io.callpark.park.Party("sip:carol@acme.test", "Ca\u0001rol\u001b[2J"), call.parkedAt(),
                call.state(), null, null, call.leg(), call.media(), call.notifyTargets(), call.recall(), false);
        Element caller = (Element) parse(DialogInfoBody.render(ENTITY, 1, List.of(odd), "*88"))
                .getElementsByTagNameNS(DialogInfoBody.NAMESPACE, "identity").item(1);
        assertEquals("Carol[2J", caller.getAttribute("display"), "the document parses, the controls are gone");
    }
}
