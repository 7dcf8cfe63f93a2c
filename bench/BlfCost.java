import io.callpark.notify.DialogInfoBody;
import io.callpark.park.DialogLeg;
import io.callpark.park.MediaBinding;
import io.callpark.park.MediaDirection;
import io.callpark.park.ParkState;
import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import io.callpark.park.Watcher;
import io.callpark.sip.ProxySeal;
import io.callpark.sip.Requests;
import io.callpark.store.schema.CallparkSchemaImpl;
import io.callpark.store.schema.StoredWatchers;
import org.infinispan.protostream.ProtobufUtil;
import org.infinispan.protostream.SerializationContext;

import java.util.ArrayList;
import java.util.List;

/**
 * What a BLF key costs (docs/blf.md): the bytes a slot's subscriber list takes in the replicated cache per watcher,
 * the CPU of telling a slot's change (rendering the document and its digest once, building one NOTIFY a watcher),
 * and the bytes of one NOTIFY on the wire.
 * Run (after mvn package; JDK 25):
 *   mvn -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
 *   java -cp "target/classes:$(cat target/bench.classpath)" bench/BlfCost.java
 */
public class BlfCost {

    public static void main(String[] args) throws Exception {
        SerializationContext wire = ProtobufUtil.newSerializationContext();
        new CallparkSchemaImpl().register(wire);
        for (int watchers : new int[] {1, 10, 100}) {
            byte[] bytes = ProtobufUtil.toWrappedByteArray(wire, new StoredWatchers(42, watchers(watchers), 7));
            System.out.printf("slot entry with %3d watchers: %6d bytes (%d a watcher)%n", watchers, bytes.length,
                    bytes.length / watchers);
        }
        Requests requests = new Requests("127.0.0.1", 5080, new ProxySeal("bench-secret-0123456789-abcdefghij"));
        for (int calls : new int[] {0, 1, 5}) {
            List<ParkedCall> waiting = calls(calls);
            long renderNs = perOp(20_000, () -> DialogInfoBody.digest(waiting, "*88"));
            Watcher watcher = watchers(1).get(0);
            String body = DialogInfoBody.render(watcher.entity(), 3, waiting, "*88");
            long notifyNs = perOp(20_000, () -> requests.subscriptionNotify(watcher.dialog(), "dialog", "",
                    "active;expires=3600", "watch/acme.test/103", "application", "dialog-info+xml",
                    DialogInfoBody.render(watcher.entity(), 3, waiting, "*88")).toString());
            int notifyBytes = requests.subscriptionNotify(watcher.dialog(), "dialog", "", "active;expires=3600",
                    "watch/acme.test/103", "application", "dialog-info+xml", body).toString().length();
            System.out.printf("%d calls waiting: digest of the change %5.1f us; one NOTIFY built %5.1f us,"
                    + " %4d bytes%n", calls, renderNs / 1000.0, notifyNs / 1000.0, notifyBytes);
        }
    }

    private static long perOp(int n, Runnable op) {
        for (int i = 0; i < n; i++) {
            op.run(); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            op.run();
        }
        return (System.nanoTime() - start) / n;
    }

    private static List<Watcher> watchers(int n) {
        List<Watcher> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new Watcher(new DialogLeg("key-" + i + "-3f9c2a1b7d@127.0.0." + (10 + i % 200), "5f1e" + i,
                    "9a8b7c6d" + i, "<sip:*88103@acme.test>", "<sip:" + (100 + i) + "@acme.test>",
                    "sip:" + (100 + i) + "@127.0.0." + (10 + i % 200) + ":5070;transport=udp",
                    List.of("<sip:127.0.0.1:5060;lr;ftag=9a8b7c6d" + i + ">"), 4242, 0, 0, 7),
                    "sip:*88103@acme.test", "", (100 + i) + "@acme.test", 3, 1_764_003_600_000L));
        }
        return all;
    }

    private static List<ParkedCall> calls(int n) {
        List<ParkedCall> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String parkId = String.valueOf(100000 + i);
            all.add(new ParkedCall(parkId, "acme.test", "103", new Party("sip:101@acme.test", "Reception"),
                    new Party("sip:+1555000" + i + "@acme.test", "Caller " + i), 1_764_000_000_000L + i,
                    ParkState.PARKED, null, null, new DialogLeg("call-" + i + "@127.0.0.5", "t" + i, "r" + i,
                    "<sip:*68103@acme.test>", "<sip:caller@acme.test>", "sip:caller@127.0.0.5:5070",
                    List.of("<sip:127.0.0.1:5060;lr>"), 1, 1, 1, 1),
                    new MediaBinding("node1", 20000 + 2 * i, "127.0.0.5", 40000, List.of(0), 101,
                            MediaDirection.SENDRECV), List.of("sip:103@acme.test"), null, false));
        }
        return all;
    }
}
