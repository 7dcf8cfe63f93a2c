package io.callpark.testing;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Hold music for tests, made in memory by the JDK: a WAV to upload, and the G.711 mu-law a PCMU caller must hear
 * from it (the JDK's encoding, computed here independently of the server's code).
 */
public final class Wavs {

    public static final AudioFormat PCM_8K_MONO = new AudioFormat(8000, 16, 1, true, false);
    private static final int FRAME = 160;

    private Wavs() {
    }

    /** A sawtooth at 8 kHz: no 20 ms frame of it has the bytes of another, nor of the built-in melody. */
    public static short[] sawtooth(double seconds) {
        short[] pcm = new short[(int) Math.round(8000 * seconds)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((i * 97) % 20000 - 10000);
        }
        return pcm;
    }

    /** A WAV file of 16-bit 8 kHz mono samples. */
    public static byte[] wav(short[] pcm8k) throws Exception {
        return wav(PCM_8K_MONO, littleEndian(pcm8k));
    }

    public static byte[] wav(AudioFormat format, byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), format,
                data.length / format.getFrameSize())) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
        }
        return out.toByteArray();
    }

    /** The JDK's G.711 mu-law of 8 kHz samples. */
    public static byte[] ulaw(short[] pcm8k) throws Exception {
        AudioFormat law = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(littleEndian(pcm8k)), PCM_8K_MONO,
                pcm8k.length);
             AudioInputStream out = AudioSystem.getAudioInputStream(law, in)) {
            return out.readAllBytes();
        }
    }

    /** Whether an RTP payload is one 20 ms frame of {@code ulaw} (at a frame boundary, as the music is played). */
    public static boolean isFrameOf(byte[] payload, byte[] ulaw) {
        if (payload.length != FRAME) {
            return false;
        }
        for (int offset = 0; offset + FRAME <= ulaw.length; offset += FRAME) {
            if (Arrays.equals(payload, 0, FRAME, ulaw, offset, offset + FRAME)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] littleEndian(short[] pcm) {
        ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            bytes.putShort(s);
        }
        return bytes.array();
    }
}
