package io.callpark.media;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The music played to parked callers, encoded once in both G.711 laws and cut into 20 ms frames (160 bytes).
 * Every parked call reads the same arrays at its own position: the cost of a parked call is its position, not a
 * copy of the music.
 */
public final class HoldMusic {

    public static final int SAMPLE_RATE = 8000;
    public static final int FRAME_SAMPLES = 160;

    private final byte[] ulaw;
    private final byte[] alaw;

    private HoldMusic(byte[] ulaw, byte[] alaw) {
        this.ulaw = ulaw;
        this.alaw = alaw;
    }

    private HoldMusic(short[] pcm) {
        int length = pcm.length - pcm.length % FRAME_SAMPLES;
        if (length == 0) {
            throw new IllegalArgumentException("music is shorter than one 20 ms frame");
        }
        this.ulaw = encode(pcm, length, AudioFormat.Encoding.ULAW);
        this.alaw = encode(pcm, length, AudioFormat.Encoding.ALAW);
    }

    public static HoldMusic of(short[] pcm8kMono) {
        return new HoldMusic(pcm8kMono);
    }

    /** Music kept as 8 kHz mu-law (an upload, {@link MusicUpload}): played as it is, transcoded once for A-law. */
    public static HoldMusic ofUlaw(byte[] ulaw8kMono) {
        int length = ulaw8kMono.length - ulaw8kMono.length % FRAME_SAMPLES;
        if (length == 0) {
            throw new IllegalArgumentException("music is shorter than one 20 ms frame");
        }
        // whole frames already (an upload is stored so): shared, not copied
        byte[] ulaw = length == ulaw8kMono.length ? ulaw8kMono : java.util.Arrays.copyOf(ulaw8kMono, length);
        AudioFormat law = new AudioFormat(AudioFormat.Encoding.ULAW, SAMPLE_RATE, 8, 1, 1, SAMPLE_RATE, false);
        AudioFormat linear = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(ulaw), law, length);
             AudioInputStream pcm = AudioSystem.getAudioInputStream(linear, in)) {
            ByteBuffer bytes = ByteBuffer.wrap(pcm.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            short[] samples = new short[length];
            bytes.asShortBuffer().get(samples);
            return new HoldMusic(ulaw, encode(samples, length, AudioFormat.Encoding.ALAW));
        } catch (IOException e) {
            throw new IllegalStateException("G.711 decoding failed", e);
        }
    }

    /** Reads a PCM WAV of any rate and channel count; it is mixed to mono and resampled to 8 kHz. */
    public static HoldMusic fromWav(Path file) throws IOException {
        try (AudioInputStream source = AudioSystem.getAudioInputStream(file.toFile())) {
            return new HoldMusic(pcm(source));
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new IOException(file + " is not a PCM WAV file this JVM can read: " + e.getMessage(), e);
        }
    }

    /** The 8 kHz mono samples of a WAV (any rate, any channels). */
    static short[] pcm(AudioInputStream source) throws IOException {
        AudioFormat in = source.getFormat();
        AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, in.getSampleRate(), 16,
                in.getChannels(), 2 * in.getChannels(), in.getSampleRate(), false);
        try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm16, source)) {
            return resample(downmix(decoded.readAllBytes(), in.getChannels()), in.getSampleRate());
        }
    }

    /** The memory its samples take (both laws). */
    public long bytes() {
        return (long) ulaw.length + alaw.length;
    }

    public int frameCount() {
        return ulaw.length / FRAME_SAMPLES;
    }

    /** Copies frame {@code index} (wrapping around) in the payload type's law into {@code out}. */
    public void frame(int payloadType, long index, ByteBuffer out) {
        byte[] source = payloadType == SdpCodec.PCMA ? alaw : ulaw;
        int offset = (int) (index % frameCount()) * FRAME_SAMPLES;
        out.put(source, offset, FRAME_SAMPLES);
    }

    private static short[] downmix(byte[] littleEndian16, int channels) {
        ByteBuffer buffer = ByteBuffer.wrap(littleEndian16).order(ByteOrder.LITTLE_ENDIAN);
        short[] mono = new short[littleEndian16.length / (2 * channels)];
        for (int i = 0; i < mono.length; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += buffer.getShort();
            }
            mono[i] = (short) (sum / channels);
        }
        return mono;
    }

    private static short[] resample(short[] samples, float rate) {
        if (Math.round(rate) == SAMPLE_RATE) {
            return samples;
        }
        double step = rate / SAMPLE_RATE;
        short[] out = new short[(int) (samples.length / step)];
        for (int i = 0; i < out.length; i++) {
            double position = i * step;
            int left = (int) position;
            int right = Math.min(left + 1, samples.length - 1);
            double fraction = position - left;
            out[i] = (short) Math.round(samples[left] * (1 - fraction) + samples[right] * fraction);
        }
        return out;
    }

    static byte[] encode(short[] pcm, int length, AudioFormat.Encoding law) {
        ByteBuffer bytes = ByteBuffer.allocate(length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < length; i++) {
            bytes.putShort(pcm[i]);
        }
        AudioFormat linear = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        AudioFormat target = new AudioFormat(law, SAMPLE_RATE, 8, 1, 1, SAMPLE_RATE, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bytes.array()), linear, length);
             AudioInputStream out = AudioSystem.getAudioInputStream(target, in)) {
            return out.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("G.711 encoding failed", e);
        }
    }
}
