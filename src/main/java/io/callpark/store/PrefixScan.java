package io.callpark.store;

import org.infinispan.Cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Entries of a small replicated cache whose key starts with a prefix, read from this node's copy. */
final class PrefixScan {

    private PrefixScan() {
    }

    static List<Map.Entry<String, String>> of(Cache<String, String> cache, String prefix) {
        List<Map.Entry<String, String>> found = new ArrayList<>();
        for (Map.Entry<String, String> entry : cache.entrySet()) {
            if (entry.getKey().startsWith(prefix)) {
                found.add(Map.entry(entry.getKey(), entry.getValue()));
            }
        }
        return found;
    }
}
