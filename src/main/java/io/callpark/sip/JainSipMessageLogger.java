package io.callpark.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;

import javax.sip.SipStack;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes every SIP message sent or received at FINEST on "io.callpark.sip.wire" (off by default). */
public class JainSipMessageLogger implements ServerLogger {

    private static final Logger WIRE = Logger.getLogger("io.callpark.sip.wire");

    @Override public void closeLogFile() { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public void setSipStack(SipStack sipStack) { }

    @Override
    public void logMessage(SIPMessage message, String from, String to, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender, long time) {
        log(message, from, to, sender);
    }

    @Override
    public void logMessage(SIPMessage message, String from, String to, String status, boolean sender) {
        log(message, from, to, sender);
    }

    @Override
    public void logException(Exception ex) {
        WIRE.log(Level.FINE, "SIP transport exception", ex);
    }

    private static void log(SIPMessage message, String from, String to, boolean sender) {
        if (WIRE.isLoggable(Level.FINEST)) {
            WIRE.finest((sender ? "sent " : "received ") + from + " -> " + to + "\n" + message.encode());
        }
    }
}
