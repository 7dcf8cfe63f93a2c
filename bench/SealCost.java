import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What one X-Callpark-Auth seal costs a node (docs/security.md): the SHA-256 hex of a feature-code INVITE's
 * sealed text, the same work as io.callpark.sip.ProxySeal. Five rounds of 200000; the later rounds are the
 * compiled cost. Run: java bench/SealCost.java
 */
public class SealCost {
    public static void main(String[] args) throws Exception {
        String secret = "bench-sip-secret-0123456789abcdef";
        String data = secret + "|INVITE|8284f9d31fa199128925d547f56ce397@127.0.0.19|2|as3f9a1c"
                + "|id=101@acme.test;src=127.0.0.19:5062;subs=/03/3|" + secret;
        int n = 200_000;
        int sink = 0;
        for (int round = 1; round <= 5; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(data.getBytes(StandardCharsets.UTF_8))).charAt(i % 64);
            }
            System.out.printf("round %d: %.2f us per seal%n", round, (System.nanoTime() - start) / (n * 1000.0));
        }
        System.out.println("(checksum " + sink + ")");
    }
}
