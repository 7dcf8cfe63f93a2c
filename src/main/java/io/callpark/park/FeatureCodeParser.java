package io.callpark.park;


import java.util.Optional;
import java.util.regex.Pattern;

/** Turns the Request-URI user of a feature-code INVITE into a {@link FeatureRequest}. */
public final class FeatureCodeParser {

    public static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final Pattern PARK_ID = Pattern.compile("[0-9]{6}");

    private final FeatureCodes codes;

    public FeatureCodeParser(FeatureCodes codes) {
        this.codes = codes;
    }

    /** Empty when the user starts with none of the codes. */
    public Optional<FeatureRequest> parse(String rawUser) {
        if (rawUser == null) {
            return Optional.empty();
        }
        String user = unescape(rawUser);
        if (user.startsWith(codes.park())) {
            return Optional.of(extensionOrEmpty(user.substring(codes.park().length()))
                    .map(ext -> (FeatureRequest) new FeatureRequest.Park(ext))
                    .orElseGet(() -> malformed(user)));
        }
        if (user.startsWith(codes.retrieve())) {
            String rest = user.substring(codes.retrieve().length());
            if (rest.startsWith("*")) {
                String id = rest.substring(1);
                return Optional.of(PARK_ID.matcher(id).matches()
                        ? new FeatureRequest.Retrieve(Optional.empty(), Optional.of(id))
                        : malformed(user));
            }
            return Optional.of(extensionOrEmpty(rest)
                    .map(ext -> (FeatureRequest) new FeatureRequest.Retrieve(ext, Optional.empty()))
                    .orElseGet(() -> malformed(user)));
        }
        if (user.startsWith(codes.groupPark())) {
            return Optional.of(user.length() == codes.groupPark().length()
                    ? new FeatureRequest.GroupPark()
                    : malformed(user));
        }
        return Optional.empty();
    }

    /** Some(empty) for "", Some(ext) for a valid extension, empty for garbage. */
    private static Optional<Optional<String>> extensionOrEmpty(String rest) {
        if (rest.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        return EXTENSION.matcher(rest).matches() ? Optional.of(Optional.of(rest)) : Optional.empty();
    }

    private static FeatureRequest malformed(String user) {
        return new FeatureRequest.Malformed("'" + user + "' is not a valid feature code request");
    }

    private static String unescape(String user) {
        return user.replace("%2A", "*").replace("%2a", "*");
    }
}
