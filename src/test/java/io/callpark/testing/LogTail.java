package io.callpark.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** What a log file gained since a mark: the lines a node or Kamailio wrote while a test did something to it. */
public final class LogTail {

    private final Path file;
    private final long mark;

    private LogTail(Path file, long mark) {
        this.file = file;
        this.mark = mark;
    }

    /** Marks the end of {@code file} now (0 if it does not exist yet). */
    public static LogTail from(Path file) throws IOException {
        return new LogTail(file, Files.exists(file) ? Files.size(file) : 0);
    }

    /** The managed WildFly's server.log (Arquillian starts it from jboss.home). */
    public static Path serverLog() {
        return Path.of(System.getProperty("jboss.home", "target/wildfly"), "standalone", "log", "server.log");
    }

    /** Everything written after the mark (at most the last 32 MB of it). */
    public String text() throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            long start = Math.max(mark, end - 32L * 1024 * 1024);
            if (end < mark) {
                start = 0; // rotated
            }
            byte[] bytes = new byte[(int) (end - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The lines written after the mark that match {@code pattern}. */
    public List<String> lines(Pattern pattern) throws IOException {
        return text().lines().filter(line -> pattern.matcher(line).find()).toList();
    }
}
