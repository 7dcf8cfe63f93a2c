package io.callpark.media;

import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The spoken prompts, generated at build time by espeak-ng from src/main/prompts/prompts.txt (8 kHz WAVs under
 * /prompts on the class path): "Your call is parked at" and the digits, which say a slot one digit at a time.
 */
public final class Prompts {

    private static final int GAP_SAMPLES = HoldMusic.SAMPLE_RATE / 10;
    private static final int TAIL_SAMPLES = HoldMusic.SAMPLE_RATE / 2;

    private final Map<String, short[]> spoken;

    private Prompts(Map<String, short[]> spoken) {
        this.spoken = Map.copyOf(spoken);
    }

    /** Reads every prompt; a missing or unreadable one fails the node's start, naming it. */
    public static Prompts load() throws IOException {
        Map<String, short[]> spoken = new HashMap<>();
        spoken.put("parked-at", read("parked-at"));
        for (char digit = '0'; digit <= '9'; digit++) {
            spoken.put("digit-" + digit, read("digit-" + digit));
        }
        return new Prompts(spoken);
    }

    /** "Your call is parked at" and the slot's digits, one by one, then half a second of silence. */
    public HoldMusic parkedAt(String slot) {
        short[][] parts = new short[slot.length() + 1][];
        parts[0] = spoken.get("parked-at");
        for (int i = 0; i < slot.length(); i++) {
            short[] digit = spoken.get("digit-" + slot.charAt(i));
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
