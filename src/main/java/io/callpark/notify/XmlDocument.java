package io.callpark.notify;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;

/** An XML 1.0 document in UTF-8, written whole by a body's writer: what the NOTIFY bodies share. */
final class XmlDocument {

    /** Writes the document's content between its start and its end. */
    @FunctionalInterface
    interface Content {
        void write(XMLStreamWriter xml) throws XMLStreamException;
    }

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private XmlDocument() {
    }

    /** @param what names the body in the error a failed rendering throws */
    static String render(String what, Content content) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XML.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            content.write(xml);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(what + " rendering failed", e);
        }
        return out.toString();
    }
}
