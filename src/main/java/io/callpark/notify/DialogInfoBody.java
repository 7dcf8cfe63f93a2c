package io.callpark.notify;

import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The application/dialog-info+xml body (RFC 4235) a BLF key watching a park slot or an extension reads: the full
 * state of what waits there, one dialog per waiting call, oldest first. A key lights while any dialog is
 * {@code confirmed} (a call waits) and flashes while one is {@code early} (its recall rings phones); no dialog, off.
 * Each dialog names the waiting caller as the remote party, the URI that retrieves exactly that call as the local
 * and the remote target (phones that take a call from the key dial one or the other), and carries BroadWorks' call
 * park element ({@code bw:callpark/bw:parked/identity}), which many desk phones show.
 */
public final class DialogInfoBody {

    public static final String CONTENT_TYPE = "application";
    public static final String CONTENT_SUBTYPE = "dialog-info+xml";
    public static final String NAMESPACE = "urn:ietf:params:xml:ns:dialog-info";
    public static final String BROADWORKS_CALLPARK = "http://schema.broadsoft.com/callpark";

    private DialogInfoBody() {
    }

    /**
     * @param entity       the watched URI (what the key dials to retrieve, e.g. sip:*88103@acme.test)
     * @param version      this subscription's document version: 0 for its first NOTIFY, one more for each next
     * @param waiting      the calls that wait there, oldest first (none: the key is off)
     * @param retrieveCode the tenant's retrieve prefix, e.g. *88
     */
    public static String render(String entity, long version, List<ParkedCall> waiting, String retrieveCode) {
        return XmlDocument.render("dialog-info", xml -> {
            xml.writeStartElement("dialog-info");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeNamespace("bw", BROADWORKS_CALLPARK);
            xml.writeAttribute("version", Long.toString(version));
            xml.writeAttribute("state", "full");
            xml.writeAttribute("entity", entity);
            for (ParkedCall call : waiting) {
                dialog(xml, call, retrieveCode);
            }
            xml.writeEndElement();
        });
    }

    /**
     * A digest of what a watcher is shown of these calls, whoever watches and whatever the version: two states
     * with the same digest look the same on every key.
     */
    public static long digest(List<ParkedCall> waiting, String retrieveCode) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(render("", 0, waiting, retrieveCode)
                    .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static void dialog(XMLStreamWriter xml, ParkedCall call, String retrieveCode)
            throws XMLStreamException {
        xml.writeStartElement("dialog");
        xml.writeAttribute("id", call.parkId());
        xml.writeAttribute("direction", "recipient");
        element(xml, "state", call.state() == ParkState.RINGING ? "early" : "confirmed");
        xml.writeStartElement("local");
        ParkInfoBody.party(xml, "identity", new Party(ParkedCall.extensionUri(call.extension(), call.tenant()), ""));
        xml.writeEmptyElement("target");
        xml.writeAttribute("uri", call.retrieveUri(retrieveCode));
        xml.writeEndElement();
        xml.writeStartElement("remote");
        ParkInfoBody.party(xml, "identity", call.parked());
        // keys that take a call by dialling the remote target (Snom) dial the retrieve URI too
        xml.writeEmptyElement("target");
        xml.writeAttribute("uri", call.retrieveUri(retrieveCode));
        xml.writeEndElement();
        // RFC 4235 lets other namespaces' elements follow the dialog's own
        xml.writeStartElement("bw", "callpark", BROADWORKS_CALLPARK);
        xml.writeStartElement("bw", "parked", BROADWORKS_CALLPARK);
        ParkInfoBody.party(xml, "identity", call.parked());
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static void element(XMLStreamWriter xml, String name, String text) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(text);
        xml.writeEndElement();
    }
}
