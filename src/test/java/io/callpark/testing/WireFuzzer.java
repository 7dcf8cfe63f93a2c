package io.callpark.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic mutations of a valid SIP message (a fixed-seed {@link Random} decides everything): byte flips,
 * header deletions and duplications, truncation, huge header values, bad Content-Length, random CSeq numbers and
 * methods, odd encodings (percent escapes, non-UTF-8 octets, NUL, bare LF, folding, compact and odd-case header
 * names), Request-URI and SDP damage. A message gets one to three of them. A protected top Via (the one that
 * must bring the answer back to the test, not to a port 5060 of someone else's) is never touched.
 */
public final class WireFuzzer {

    /** One mutated message, with what was done to it (for a failure message that can be replayed by hand). */
    public record Mutant(int index, String mutations, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static final String[] ODD_USERS = {"*68", "*68104", "%2A68%31%30%34", "*88", "*88*123456", "*58",
        "*68" + "9".repeat(70), "*6810\u0000", "*68104;lr", "*68%00104", "*", "**68104", "*68-1", "%", "%zz",
        "*68\u00e9\u00e8", "*68%C0%AF", "*88*", "*88*1234567", "*58104"};
    private static final String[] ODD_VALUES = {"", " ", ";", ",,,", "<>", "<sip:>", "\"", "\\", "%00", "\u0000",
        "sip:", "sips:x@[::1", "tel:+1", "<sip:a@127.0.0.9;lr>;;;;", "a=b=c", "\u00ff\u00fe", "=?utf-8?q?x?=",
        "-1", "4294967296", "99999999999999999999", "0x10", "1e9", "NaN"};
    private static final String[] METHODS = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK",
        "UPDATE", "REFER", "NOTIFY", "SUBSCRIBE", "INFO", "MESSAGE", "invite", "INV1TE", "", "X".repeat(300)};
    private static final String[] HEADERS = {"Via", "v", "From", "f", "To", "t", "Call-ID", "i", "CSeq",
        "Contact", "m", "Content-Length", "l", "Content-Type", "c", "Max-Forwards", "Route", "Record-Route",
        "Require", "Proxy-Require", "Supported", "Expires", "Authorization", "Proxy-Authorization",
        "X-Callpark-Auth", "Referred-By", "Replaces", "Event", "Allow", "Accept", "Date", "Timestamp",
        "P-Asserted-Identity"};

    private final Random random;
    private final boolean protectTopVia;

    /** @param protectTopVia whether the message's first header line (its top Via) stays as it is */
    public WireFuzzer(long seed, boolean protectTopVia) {
        this.random = new Random(seed);
        this.protectTopVia = protectTopVia;
    }

    /** The next mutant of {@code valid}, numbered {@code index} (for the failure message). */
    public Mutant mutate(byte[] valid, int index) {
        byte[] bytes = valid.clone();
        StringBuilder done = new StringBuilder();
        int rounds = 1 + random.nextInt(3);
        for (int round = 0; round < rounds; round++) {
            int kind = random.nextInt(14);
            bytes = switch (kind) {
                case 0 -> flipBytes(bytes, done);
                case 1 -> deleteHeader(bytes, done);
                case 2 -> duplicateHeader(bytes, done);
                case 3 -> truncate(bytes, done);
                case 4 -> hugeValue(bytes, done);
                case 5 -> contentLength(bytes, done);
                case 6 -> cseq(bytes, done);
                case 7 -> requestUri(bytes, done);
                case 8 -> lineEndings(bytes, done);
                case 9 -> oddHeader(bytes, done);
                case 10 -> headerName(bytes, done);
                case 11 -> sdp(bytes, done);
                case 12 -> encoding(bytes, done);
                default -> oddValue(bytes, done);
            };
        }
        return new Mutant(index, done.toString().trim(), bytes);
    }

    // ------------------------------------------------------------------ the mutations

    private byte[] flipBytes(byte[] bytes, StringBuilder done) {
        int[] via = protectedVia(bytes);
        if (bytes.length - (via[1] - via[0]) <= 0) {
            return bytes;
        }
        int flips = 1 + random.nextInt(8);
        done.append("flip ").append(flips).append(" bytes;");
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(bytes.length - (via[1] - via[0]));
            at = at < via[0] ? at : at + (via[1] - via[0]);
            int pick = random.nextInt(6);
            bytes[at] = switch (pick) {
                case 0 -> 0;
                case 1 -> '\r';
                case 2 -> '\n';
                case 3 -> (byte) 0xff;
                case 4 -> (byte) (bytes[at] ^ (1 << random.nextInt(8)));
                default -> (byte) random.nextInt(256);
            };
        }
        return bytes;
    }

    private byte[] deleteHeader(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        int at = lines.randomHeader(random, protectTopVia);
        if (at < 0) {
            return bytes;
        }
        done.append("delete ").append(lines.name(at)).append(';');
        lines.remove(at);
        return lines.bytes();
    }

    private byte[] duplicateHeader(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        int at = lines.randomHeader(random, protectTopVia);
        if (at < 0) {
            return bytes;
        }
        int copies = 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 3);
        done.append("duplicate ").append(lines.name(at)).append(" x").append(copies).append(';');
        for (int i = 0; i < copies; i++) {
            lines.insert(at + 1, lines.get(at));
        }
        return lines.bytes();
    }

    private byte[] truncate(byte[] bytes, StringBuilder done) {
        int[] via = protectedVia(bytes);
        if (bytes.length - (via[1] - via[0]) <= 0) {
            return bytes;
        }
        // never inside the protected Via: a cut port would send the answer to someone else's port
        int at = random.nextInt(bytes.length - (via[1] - via[0]));
        at = at < via[0] ? at : at + (via[1] - via[0]);
        done.append("truncate at ").append(at).append(';');
        byte[] cut = new byte[at];
        System.arraycopy(bytes, 0, cut, 0, at);
        return cut;
    }

    private byte[] hugeValue(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        int at = lines.randomHeader(random, protectTopVia);
        if (at < 0) {
            return bytes;
        }
        int size = switch (random.nextInt(4)) {
            case 0 -> 1000;
            case 1 -> 5000;
            case 2 -> 9000;
            default -> 1 + random.nextInt(60000);
        };
        char fill = "a;,<\"%@: ".charAt(random.nextInt(9));
        done.append("huge ").append(lines.name(at)).append(" (").append(size).append(" x '").append(fill)
                .append("');");
        lines.set(at, lines.name(at) + ": " + lines.value(at) + String.valueOf(fill).repeat(size));
        return lines.bytes();
    }

    private byte[] contentLength(byte[] bytes, StringBuilder done) {
        String[] values = {"-1", "0", "1", "99999", "4294967297", "abc", "", "1 2", "+5", "0x20", "00000000012"};
        String value = random.nextBoolean() ? values[random.nextInt(values.length)]
                : String.valueOf(random.nextInt(400));
        done.append("Content-Length ").append(value).append(';');
        return setHeader(bytes, "Content-Length", value);
    }

    private byte[] cseq(byte[] bytes, StringBuilder done) {
        String[] numbers = {"0", "-1", "2147483647", "2147483648", "4294967296", "99999999999999999999", "1.5", "",
            "007", String.valueOf(random.nextInt()), String.valueOf(random.nextLong())};
        String number = numbers[random.nextInt(numbers.length)];
        String method = random.nextInt(3) == 0 ? METHODS[random.nextInt(METHODS.length)] : currentCseqMethod(bytes);
        done.append("CSeq ").append(number).append(' ').append(method.length() > 20 ? "X..." : method).append(';');
        return setHeader(bytes, "CSeq", number + " " + method);
    }

    private byte[] requestUri(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        String start = lines.get(0);
        if (!start.endsWith(" SIP/2.0") || random.nextInt(4) == 0) {
            // the start line is broken already (or by chance): damage the To instead, which names the same thing
            int to = lines.find("To");
            if (to < 0) {
                return bytes;
            }
            String user = ODD_USERS[random.nextInt(ODD_USERS.length)];
            done.append("To user ").append(printable(user)).append(';');
            lines.set(to, "To: <sip:" + user + "@acme.test>");
            return lines.bytes();
        }
        String user = ODD_USERS[random.nextInt(ODD_USERS.length)];
        String method = random.nextInt(4) == 0 ? METHODS[random.nextInt(METHODS.length)] : start.split(" ")[0];
        String scheme = switch (random.nextInt(8)) {
            case 0 -> "sips";
            case 1 -> "tel";
            case 2 -> "SIP";
            case 3 -> "x-odd";
            default -> "sip";
        };
        String host = switch (random.nextInt(6)) {
            case 0 -> "ACME.TEST";
            case 1 -> "globex.test";
            case 2 -> "";
            case 3 -> "[::1]";
            default -> "acme.test";
        };
        String version = random.nextInt(8) == 0 ? "SIP/3.0" : "SIP/2.0";
        String line = method + " " + scheme + ":" + user + (host.isEmpty() ? "" : "@" + host) + " " + version;
        done.append("Request-URI ").append(printable(line.length() > 80 ? line.substring(0, 80) : line)).append(';');
        lines.set(0, line);
        return lines.bytes();
    }

    private byte[] lineEndings(byte[] bytes, StringBuilder done) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int protect = protectTopVia ? Math.max(0, protectedVia(bytes)[1]) : 0;
        String kept = text.substring(0, Math.max(0, protect));
        String rest = text.substring(Math.max(0, protect));
        String changed = switch (random.nextInt(5)) {
            case 0 -> {
                done.append("bare LF;");
                yield rest.replace("\r\n", "\n");
            }
            case 1 -> {
                done.append("bare CR;");
                yield rest.replace("\r\n", "\r");
            }
            case 2 -> {
                done.append("fold every header;");
                yield rest.replaceAll(": ", ":\r\n   \t ");
            }
            case 3 -> {
                done.append("no blank line;");
                yield rest.replace("\r\n\r\n", "\r\n");
            }
            default -> {
                done.append("blank lines between headers;");
                yield rest.replaceFirst("\r\n", "\r\n\r\n");
            }
        };
        return (kept + changed).getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] oddHeader(byte[] bytes, StringBuilder done) {
        String name = HEADERS[random.nextInt(HEADERS.length)];
        String value = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
        done.append("add ").append(name).append(": ").append(printable(value)).append(';');
        Lines lines = Lines.of(bytes);
        int first = protectTopVia ? 2 : 1;
        int at = first + random.nextInt(Math.max(1, lines.headerEnd() - first));
        lines.insert(Math.min(at, lines.headerEnd()), name + ": " + value);
        return lines.bytes();
    }

    private byte[] headerName(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        int at = lines.randomHeader(random, protectTopVia);
        if (at < 0) {
            return bytes;
        }
        String name = lines.name(at);
        String odd = switch (random.nextInt(5)) {
            case 0 -> name.toUpperCase();
            case 1 -> name + " \t ";
            case 2 -> " " + name;
            case 3 -> name.replace('-', '_');
            default -> name + ":";
        };
        done.append("header name '").append(odd).append("';");
        lines.set(at, odd + ":" + (random.nextBoolean() ? "" : " ") + lines.value(at));
        return lines.bytes();
    }

    private byte[] sdp(byte[] bytes, StringBuilder done) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int body = text.indexOf("\r\n\r\n");
        if (body < 0) {
            return bytes;
        }
        String head = text.substring(0, body + 4);
        String sdp = text.substring(body + 4);
        String changed = switch (random.nextInt(8)) {
            case 0 -> {
                done.append("SDP c= host name;");
                yield sdp.replaceAll("c=IN IP4 [^\r\n]*", "c=IN IP4 victim.example");
            }
            case 1 -> {
                done.append("SDP port 0;");
                yield sdp.replaceAll("m=audio [0-9]+", "m=audio 0");
            }
            case 2 -> {
                done.append("SDP port 70000;");
                yield sdp.replaceAll("m=audio [0-9]+", "m=audio 70000");
            }
            case 3 -> {
                done.append("SDP 40 m= lines;");
                yield sdp + "m=audio 40000 RTP/AVP 0\r\n".repeat(40);
            }
            case 4 -> {
                done.append("SDP no codecs;");
                yield sdp.replaceAll("RTP/AVP [0-9 ]+", "RTP/AVP");
            }
            case 5 -> {
                done.append("SDP garbage;");
                yield "v=\u00ff\u0000\r\nx=\r\n";
            }
            case 6 -> {
                done.append("SDP multicast;");
                yield sdp.replaceAll("c=IN IP4 [^\r\n]*", "c=IN IP4 224.0.0.1");
            }
            default -> {
                done.append("SDP without body;");
                yield "";
            }
        };
        return fixContentLength(head, changed, random.nextInt(4) != 0);
    }

    private byte[] encoding(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        int at = lines.randomHeader(random, protectTopVia);
        if (at < 0) {
            return bytes;
        }
        String odd = switch (random.nextInt(6)) {
            case 0 -> "\u00e9\u00e8\u00ff";                 // Latin-1 octets, invalid UTF-8
            case 1 -> "\u00c3\u00a9\u00e2\u0082\u00ac";     // UTF-8 of é and € as octets
            case 2 -> "\u00c0\u00af";                       // an overlong UTF-8 '/'
            case 3 -> "%25%32%35%00%0d%0a";                  // escapes of escapes, NUL, CRLF
            case 4 -> "\u0000\u0000";
            default -> "\u00ef\u00bb\u00bf";                // a BOM in the middle
        };
        done.append("odd octets in ").append(lines.name(at)).append(';');
        String value = lines.value(at);
        int cut = value.isEmpty() ? 0 : random.nextInt(value.length());
        lines.set(at, lines.name(at) + ": " + value.substring(0, cut) + odd + value.substring(cut));
        return lines.bytes();
    }

    private byte[] oddValue(byte[] bytes, StringBuilder done) {
        Lines lines = Lines.of(bytes);
        int at = lines.randomHeader(random, protectTopVia);
        if (at < 0) {
            return bytes;
        }
        String value = ODD_VALUES[random.nextInt(ODD_VALUES.length)];
        done.append(lines.name(at)).append(": ").append(printable(value)).append(';');
        lines.set(at, lines.name(at) + ": " + value);
        return lines.bytes();
    }

    // ------------------------------------------------------------------ helpers

    /** Start and end offsets of the top Via line with its CRLF ({0, 0} when nothing is protected). */
    private int[] protectedVia(byte[] bytes) {
        if (!protectTopVia) {
            return new int[] {0, 0};
        }
        int start = 0;
        while (start < bytes.length && bytes[start] != '\n') {
            start++;
        }
        int end = Math.min(start + 1, bytes.length);
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        return new int[] {Math.min(start + 1, bytes.length), Math.min(end + 1, bytes.length)};
    }

    private static String currentCseqMethod(byte[] bytes) {
        Lines lines = Lines.of(bytes);
        int at = lines.find("CSeq");
        if (at < 0) {
            return "INVITE";
        }
        String[] parts = lines.value(at).trim().split("\\s+");
        return parts.length > 1 ? parts[1] : "INVITE";
    }

    private byte[] setHeader(byte[] bytes, String name, String value) {
        Lines lines = Lines.of(bytes);
        int at = lines.find(name);
        if (at < 0 || (protectTopVia && at == 1)) {
            lines.insert(Math.min(protectTopVia ? 2 : 1, lines.headerEnd()), name + ": " + value);
        } else {
            lines.set(at, name + ": " + value);
        }
        return lines.bytes();
    }

    /** The head with a body; its Content-Length set to the body's length, or left as it was. */
    private static byte[] fixContentLength(String head, String body, boolean fix) {
        String newHead = fix ? head.replaceAll("(?im)^(Content-Length|l):[^\r\n]*",
                "Content-Length: " + body.getBytes(StandardCharsets.ISO_8859_1).length) : head;
        return (newHead + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    /** A message's head as lines (ISO-8859-1, so every octet survives), and its body as it was. */
    private static final class Lines {
        private final List<String> head;
        private final String tail;

        private Lines(List<String> head, String tail) {
            this.head = head;
            this.tail = tail;
        }

        static Lines of(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String tail = end < 0 ? "" : text.substring(end);
            return new Lines(new ArrayList<>(List.of(head.split("\r\n", -1))), tail);
        }

        byte[] bytes() {
            return (String.join("\r\n", head) + tail).getBytes(StandardCharsets.ISO_8859_1);
        }

        int headerEnd() {
            return head.size();
        }

        /** A line that looks like a header (name: value), the top Via left out if protected; -1 if none. */
        int randomHeader(Random random, boolean protectTopVia) {
            List<Integer> candidates = new ArrayList<>();
            for (int i = protectTopVia ? 2 : 1; i < head.size(); i++) {
                if (head.get(i).indexOf(':') > 0) {
                    candidates.add(i);
                }
            }
            return candidates.isEmpty() ? -1 : candidates.get(random.nextInt(candidates.size()));
        }

        int find(String name) {
            for (int i = 1; i < head.size(); i++) {
                if (name(i).trim().equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }

        String get(int i) {
            return head.get(i);
        }

        void set(int i, String line) {
            head.set(i, line);
        }

        void insert(int i, String line) {
            head.add(Math.min(i, head.size()), line);
        }

        void remove(int i) {
            head.remove(i);
        }

        String name(int i) {
            String line = head.get(i);
            int colon = line.indexOf(':');
            return colon < 0 ? line : line.substring(0, colon);
        }

        String value(int i) {
            String line = head.get(i);
            int colon = line.indexOf(':');
            return colon < 0 ? "" : line.substring(colon + 1).trim();
        }
    }
}
