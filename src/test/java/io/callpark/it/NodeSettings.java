package io.callpark.it;

import io.callpark.testing.TestNetwork;
import org.jboss.as.arquillian.container.ManagementClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Start-up settings of the test's app node changed through WildFly's management API: a node reads its
 * configuration when deployed, so each change redeploys it; {@link #close} puts every setting back.
 */
final class NodeSettings implements AutoCloseable {

    private final ManagementClient management;
    /** each changed property and its value before (undefined: it did not exist) */
    private final Map<String, ModelNode> before = new LinkedHashMap<>();

    NodeSettings(ManagementClient management) {
        this.management = management;
    }

    /** Sets {@code callpark.*} system property {@code name} and redeploys the node. */
    NodeSettings set(String name, String value) throws Exception {
        ModelNode address = Operations.createAddress("system-property", name);
        ModelNode read = management.getControllerClient().execute(
                Operations.createReadAttributeOperation(address, "value"));
        before.putIfAbsent(name, Operations.isSuccessfulOutcome(read) ? Operations.readResult(read) : new ModelNode());
        if (Operations.isSuccessfulOutcome(read)) {
            execute(Operations.createRemoveOperation(address));
        }
        ModelNode add = Operations.createAddOperation(address);
        add.get("value").set(value);
        execute(add);
        redeploy();
        return this;
    }

    @Override
    public void close() throws Exception {
        for (Map.Entry<String, ModelNode> each : before.entrySet()) {
            ModelNode address = Operations.createAddress("system-property", each.getKey());
            execute(Operations.createRemoveOperation(address));
            if (each.getValue().isDefined()) {
                ModelNode add = Operations.createAddOperation(address);
                add.get("value").set(each.getValue());
                execute(add);
            }
        }
        if (!before.isEmpty()) {
            redeploy();
        }
    }

    private void redeploy() throws Exception {
        execute(Operations.createOperation("redeploy", Operations.createAddress("deployment", "callpark.war")));
        TestNetwork.ready();
    }

    private void execute(ModelNode operation) throws IOException {
        ModelNode result = management.getControllerClient().execute(operation);
        if (!Operations.isSuccessfulOutcome(result)) {
            throw new IllegalStateException(operation + ": " + result);
        }
    }
}
