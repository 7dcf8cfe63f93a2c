package io.callpark.sip;

import gov.nist.core.StackLogger;

import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes JAIN-SIP RI's internal logging to java.util.logging (WildFly's log manager) instead of the log4j 1.x
 * classes the RI links by default, which WildFly does not expose.
 */
public class JainSipStackLogger implements StackLogger {

    private static final Logger LOG = Logger.getLogger("io.callpark.sip.stack");

    @Override public void logStackTrace() { }
    @Override public void logStackTrace(int traceLevel) { }
    @Override public int getLineCount() { return 0; }
    @Override public void logException(Throwable ex) { LOG.log(Level.WARNING, "SIP stack exception", ex); }
    @Override public void logDebug(String message) { LOG.finer(message); }
    @Override public void logDebug(String message, Exception ex) { LOG.log(Level.FINER, message, ex); }
    @Override public void logTrace(String message) { LOG.finest(message); }
    @Override public void logFatalError(String message) { LOG.severe(message); }
    @Override public void logError(String message) { LOG.severe(message); }
    @Override public void logError(String message, Exception ex) { LOG.log(Level.SEVERE, message, ex); }
    @Override public void logWarning(String message) { LOG.fine(message); } // the RI warns about unused TLS at every start
    @Override public void logInfo(String message) { LOG.fine(message); }
    @Override public void disableLogging() { }
    @Override public void enableLogging() { }
    @Override public void setBuildTimeStamp(String buildTimeStamp) { }
    @Override public void setStackProperties(Properties stackProperties) { }
    @Override public String getLoggerName() { return LOG.getName(); }

    @Override
    public boolean isLoggingEnabled() {
        return LOG.isLoggable(Level.FINER);
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return switch (logLevel) {
            case TRACE_FATAL, TRACE_ERROR -> LOG.isLoggable(Level.SEVERE);
            case TRACE_WARN -> LOG.isLoggable(Level.WARNING);
            case TRACE_INFO -> LOG.isLoggable(Level.FINE);
            case TRACE_DEBUG -> LOG.isLoggable(Level.FINER);
            default -> LOG.isLoggable(Level.FINEST);
        };
    }
}
