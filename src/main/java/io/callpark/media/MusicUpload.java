package io.callpark.media;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Checks a tenant's uploaded hold music (the bytes of a WAV file, in memory) and converts it to what the node plays:
 * 8 kHz mono G.711 mu-law, the same samples {@link HoldMusic} encodes from PCM. The JDK reads the WAV; the length
 * is what the data holds, not what the header claims.
 */
public final class MusicUpload {

    public static final Duration MIN_LENGTH = Duration.ofSeconds(1);
    public static final Duration MAX_LENGTH = Duration.ofMinutes(10);
    static final float MIN_RATE = 4_000;
    static final float MAX_RATE = 96_000;
    private static final String SUPPORTED = "PCM 8, 16, 24 or 32 bit, 32-bit float, mu-law or A-law; mono or stereo;"
            + " " + (int) MIN_RATE + "-" + (int) MAX_RATE + " Hz";

    /**
     * The music as played.
     *
     * @param ulaw     8 kHz mono mu-law samples, whole 20 ms frames
     * @param original what was uploaded, e.g. {@code PCM_SIGNED 44100 Hz 16 bit stereo}
     * @param sha256   of the uploaded bytes (hex): the client can compare it with its file's
     */
    public record Converted(byte[] ulaw, String original, String sha256, int uploadedBytes) {

        public Duration length() {
            return Duration.ofMillis(ulaw.length / (HoldMusic.SAMPLE_RATE / 1000));
        }
    }

    /** Why an upload is refused; {@code notWav} when it is no WAV file at all (a wrong media type). */
    public static final class Rejected extends Exception {

        private final boolean notWav;

        Rejected(boolean notWav, String reason) {
            super(reason);
            this.notWav = notWav;
        }

        public boolean notWav() {
            return notWav;
        }
    }

    private MusicUpload() {
    }

    public static Converted convert(byte[] wav) throws Rejected {
        if (!isRiffWave(wav)) {
            throw new Rejected(true, "not a WAV file: it does not start with a RIFF/WAVE header");
        }
        AudioFormat format;
        byte[] data;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            format = in.getFormat();
            if (format.getChannels() < 1 || format.getChannels() > 2 || format.getFrameSize() <= 0
                    || format.getSampleRate() < MIN_RATE || format.getSampleRate() > MAX_RATE) {
                throw new Rejected(false, "the WAV holds " + describe(format) + "; the node plays " + SUPPORTED);
            }
            data = in.readAllBytes(); // at most the upload's bytes, whatever length the header declares
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            throw new Rejected(false, "the WAV header cannot be read, or its encoding is not one the node plays ("
                    + SUPPORTED + ")");
        }
        int frames = data.length / format.getFrameSize();
        Duration length = Duration.ofMillis((long) (frames * 1000L / format.getSampleRate()));
        if (length.compareTo(MIN_LENGTH) < 0 || length.compareTo(MAX_LENGTH) > 0) {
            throw new Rejected(false, "the music lasts " + seconds(length) + "; it must last " + seconds(MIN_LENGTH)
                    + " to " + seconds(MAX_LENGTH));
        }
        short[] pcm;
        try (AudioInputStream exact = new AudioInputStream(new ByteArrayInputStream(data), format, frames)) {
            pcm = HoldMusic.pcm(exact);
        } catch (IOException | RuntimeException e) { // whatever odd header the JDK's converters trip on
            throw new Rejected(false, "the audio cannot be converted to 8 kHz (" + SUPPORTED + ")");
        }
        int whole = pcm.length - pcm.length % HoldMusic.FRAME_SAMPLES;
        byte[] ulaw = HoldMusic.encode(pcm, whole, AudioFormat.Encoding.ULAW);
        return new Converted(ulaw, describe(format), sha256(wav), wav.length);
    }

    private static boolean isRiffWave(byte[] wav) {
        return wav.length >= 12
                && Arrays.equals(wav, 0, 4, "RIFF".getBytes(StandardCharsets.US_ASCII), 0, 4)
                && Arrays.equals(wav, 8, 12, "WAVE".getBytes(StandardCharsets.US_ASCII), 0, 4);
    }

    static String describe(AudioFormat format) {
        return format.getEncoding() + " " + Math.round(format.getSampleRate()) + " Hz "
                + format.getSampleSizeInBits() + " bit " + (format.getChannels() == 1 ? "mono"
                : format.getChannels() == 2 ? "stereo" : format.getChannels() + " channels");
    }

    private static String seconds(Duration length) {
        return length.toMillis() / 1000.0 + " s";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
