package io.callpark.park;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Dial prefixes of the park features: the node's defaults, or a tenant's own. */
public record FeatureCodes(String park, String retrieve, String groupPark) {

    public static final Pattern CODE = Pattern.compile("\\*[0-9]{1,4}");
    public static final String CODE_RULE = "'*' followed by 1-4 digits, e.g. *68";

    public List<String> all() {
        return List.of(park, retrieve, groupPark);
    }

    /** Why the three cannot be told apart in a dialled number: equal, or one the start of another. */
    public Optional<String> ambiguity() {
        List<String> codes = all();
        for (int i = 0; i < codes.size(); i++) {
            for (int j = 0; j < codes.size(); j++) {
                String a = codes.get(i);
                String b = codes.get(j);
                if (i != j && b.startsWith(a)) {
                    return Optional.of(a.equals(b) ? "park, retrieve and group park codes must differ (" + a
                            + " twice)" : "code " + a + " is the start of code " + b);
                }
            }
        }
        return Optional.empty();
    }
}
