package io.callpark.store;

import org.infinispan.Cache;
import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.marshall.core.EncoderRegistry;

import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * WildFly marshals a deployment's keys and values with a marshaller built, on the deployment's first cache lookup,
 * from the deployment's class loader (our callpark.proto schema), registered under media types named after the
 * deployment and kept as long as the cache container runs. A redeployment of the same WAR would find that
 * marshaller still registered, bound to the classes of the deployment before, and fail on every write of a typed
 * entry ("no marshaller registered for io.callpark..."). On undeploy we therefore take ours back out, so the next
 * deployment registers its own.
 */
public final class DeploymentEncoding {

    private static final Logger LOG = Logger.getLogger(DeploymentEncoding.class.getName());

    private DeploymentEncoding() {
    }

    /** Unregisters the key and value marshallers of this deployment (any of its caches tells which they are). */
    public static void release(Cache<?, ?> anyCacheOfOurs) {
        MediaType keys = anyCacheOfOurs.getAdvancedCache().getKeyDataConversion().getRequestMediaType();
        MediaType values = anyCacheOfOurs.getAdvancedCache().getValueDataConversion().getRequestMediaType();
        if (keys == null || MediaType.APPLICATION_OBJECT.equals(keys)) {
            return; // not a deployment-specific encoding: nothing of ours is registered
        }
        EncoderRegistry registry = GlobalComponentRegistry.componentOf(anyCacheOfOurs.getCacheManager(),
                EncoderRegistry.class);
        try {
            // WildFly's own EncoderRegistry (a private module) adds unregisterTranscoder to Infinispan's interface
            Method unregister = registry.getClass().getMethod("unregisterTranscoder", MediaType.class);
            unregister.invoke(registry, keys);
            unregister.invoke(registry, values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not unregister the marshallers of " + keys + ": a redeployment of this WAR "
                    + "needs a restart of the server", e);
        }
    }
}
