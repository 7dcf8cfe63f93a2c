package io.callpark.media;

import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The spoken prompts, generated at build time by espeak-ng from src/main/prompts/prompts.txt (8 kHz WAVs under
 * /prompts on the class path): "Your call is parked at" and the digits, which say a slot one digit at a time. A
 * tenant's own recording of a prompt ({@code <dir>/<tenant>/<prompt>.wav}, read once) replaces the built-in one.
 */
public final class Prompts {

    private static final Logger LOG = Logger.getLogger(Prompts.class.getName());
    private static final int GAP_SAMPLES = HoldMusic.SAMPLE_RATE / 10;
    private static final int TAIL_SAMPLES = HoldMusic.SAMPLE_RATE / 2;
    private static final List<String> NAMES = List.of("parked-at", "digit-0", "digit-1", "digit-2", "digit-3",
            "digit-4", "digit-5", "digit-6", "digit-7", "digit-8", "digit-9");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9.-]{0,252}");

    private final Map<String, short[]> spoken;
    private final Optional<Path> tenantsDir;
    private final Map<String, Map<String, short[]>> tenants = new ConcurrentHashMap<>();

    private Prompts(Map<String, short[]> spoken, Optional<Path> tenantsDir) {
        this.spoken = Map.copyOf(spoken);
        this.tenantsDir = tenantsDir;
    }

    /** The built-in prompts only. */
    public static Prompts load() throws IOException {
        return load(Optional.empty());
    }

    /**
     * Reads every built-in prompt (a missing or unreadable one fails the node's start, naming it).
     *
     * @param tenantsDir where tenants' own recordings are, if anywhere
     */
    public static Prompts load(Optional<Path> tenantsDir) throws IOException {
        Map<String, short[]> spoken = new HashMap<>();
        for (String name : NAMES) {
            spoken.put(name, read(name));
        }
        return new Prompts(spoken, tenantsDir);
    }

    /** "Your call is parked at" and the slot's digits, one by one, then half a second of silence. */
    public HoldMusic parkedAt(String slot) {
        return parkedAt("", slot);
    }

    /** {@link #parkedAt(String)} in the tenant's own recordings where it has them. */
    public HoldMusic parkedAt(String tenant, String slot) {
        Map<String, short[]> own = tenants.computeIfAbsent(tenant, this::recordingsOf);
        short[][] parts = new short[slot.length() + 1][];
        parts[0] = own.getOrDefault("parked-at", spoken.get("parked-at"));
        for (int i = 0; i < slot.length(); i++) {
            String name = "digit-" + slot.charAt(i);
            short[] digit = own.getOrDefault(name, spoken.get(name));
            parts[i + 1] = digit == null ? new short[0] : digit; // a slot is digits; an extension may not be
        }
        int length = TAIL_SAMPLES;
        for (short[] part : parts) {
            length += part.length + GAP_SAMPLES;
        }
        short[] pcm = new short[length];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, pcm, at, part.length);
            at += part.length + GAP_SAMPLES;
        }
        return HoldMusic.of(pcm);
    }

    /** The tenant's own recordings: each that plays replaces its built-in prompt; one that does not is logged. */
    private Map<String, short[]> recordingsOf(String tenant) {
        if (tenantsDir.isEmpty() || !TENANT.matcher(tenant).matches()) {
            return Map.of();
        }
        Map<String, short[]> own = new HashMap<>();
        for (String name : NAMES) {
            Path file = tenantsDir.get().resolve(tenant).resolve(name + ".wav");
            if (!Files.exists(file)) {
                continue;
            }
            Optional<String> problem = PlayableWav.problem(file);
            if (problem.isPresent()) {
                LOG.warning("tenant " + tenant + ": own prompt " + name + " not used: " + problem.get());
                continue;
            }
            try (var audio = AudioSystem.getAudioInputStream(file.toFile())) {
                own.put(name, HoldMusic.pcm(audio));
            } catch (IOException | UnsupportedAudioFileException e) {
                LOG.warning("tenant " + tenant + ": own prompt " + name + " not used: " + e.getMessage());
            }
        }
        if (!own.isEmpty()) {
            LOG.info("tenant " + tenant + ": own recordings of " + new java.util.TreeSet<>(own.keySet()));
        }
        return Map.copyOf(own);
    }

    private static short[] read(String name) throws IOException {
        String resource = "/prompts/" + name + ".wav";
        InputStream in = Prompts.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("prompt " + resource + " is missing: the build generates it (espeak-ng, sox)");
        }
        try (var audio = AudioSystem.getAudioInputStream(new BufferedInputStream(in))) {
            return HoldMusic.pcm(audio);
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("prompt " + resource + " is no WAV: " + e.getMessage(), e);
        }
    }
}
