package io.callpark.notify;

import io.callpark.park.ParkedCall;
import io.callpark.park.Party;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.time.Instant;
import java.util.Optional;

/** Renders the application/park-info+xml body defined in docs/park-info.md. */
public final class ParkInfoBody {

    public static final String CONTENT_TYPE = "application";
    public static final String CONTENT_SUBTYPE = "park-info+xml";
    public static final String NAMESPACE = "urn:callpark:params:xml:ns:park-info";

    private ParkInfoBody() {
    }

    /**
     * @param state        the park/@state: an event type's wire name
     * @param leftAt       when the call left the extension (all states but parked)
     * @param retrieveCode the tenant's retrieve prefix, e.g. *88
     */
    public static String render(ParkedCall call, String state, Optional<Instant> leftAt, String retrieveCode) {
        return XmlDocument.render("park-info", xml -> {
            xml.writeStartElement("park-info");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeAttribute("version", "1");
            xml.writeStartElement("park");
            xml.writeAttribute("id", call.parkId());
            xml.writeAttribute("state", state);
            xml.writeAttribute("tenant", call.tenant());
            xml.writeAttribute("extension", call.extension());
            xml.writeAttribute("parked-at", Instant.ofEpochMilli(call.parkedAt()).toString());
            if (leftAt.isPresent()) {
                xml.writeAttribute("left-at", leftAt.get().toString());
            }
            party(xml, "parker", call.parker());
            party(xml, "parked", call.parked());
            xml.writeStartElement("retrieve");
            xml.writeCharacters(call.retrieveUri(retrieveCode));
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndElement();
        });
    }

    /** {@code <element display="name">uri</element>}: a party as both bodies write one. */
    static void party(XMLStreamWriter xml, String element, Party party) throws XMLStreamException {
        xml.writeStartElement(element);
        if (!party.displayName().isEmpty()) {
            xml.writeAttribute("display", printable(party.displayName()));
        }
        xml.writeCharacters(printable(party.uri()));
        xml.writeEndElement();
    }

    /** A caller's words without the control characters XML 1.0 cannot carry (a trunk's From may hold any). */
    private static String printable(String text) {
        return text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
