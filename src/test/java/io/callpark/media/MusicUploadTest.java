package io.callpark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check and conversion of an uploaded WAV, on WAV files the JDK writes in memory. */
class MusicUploadTest {

    static List<AudioFormat> playableFormats() {
        return List.of(
                new AudioFormat(8000, 16, 1, true, false),
                new AudioFormat(44100, 16, 2, true, false),
                new AudioFormat(22050, 8, 1, false, false),
                new AudioFormat(48000, 24, 2, true, false),
                new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false),
                new AudioFormat(AudioFormat.Encoding.ALAW, 16000, 8, 2, 2, 16000, false));
    }

    @ParameterizedTest
    @MethodSource("playableFormats")
    void aPlayableWavBecomes8kMonoMuLawOfItsLength(AudioFormat format) throws Exception {
        byte[] wav = wav(format, 2.5);
        MusicUpload.Converted music = MusicUpload.convert(wav);
        assertEquals(2500, music.length().toMillis(), format.toString());
        assertEquals(20_000, music.ulaw().length, "2.5 s at 8 kHz, one byte a sample");
        assertEquals(0, music.ulaw().length % HoldMusic.FRAME_SAMPLES, "whole 20 ms frames");
        assertEquals(wav.length, music.uploadedBytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wav)), music.sha256());
        assertTrue(music.original().startsWith(format.getEncoding() + " " + Math.round(format.getSampleRate())
                + " Hz"), music.original());
        assertEquals(125, HoldMusic.ofUlaw(music.ulaw()).frameCount(), "and plays as 125 frames");
    }

    @Test
    void the8kSamplesAreTheJdksMuLawOfThem() throws Exception {
        short[] pcm = new short[16000];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) ((i * 97) % 20000 - 10000); // a sawtooth: no frame of it repeats another's bytes
        }
        byte[] expected = HoldMusic.encode(pcm, pcm.length, AudioFormat.Encoding.ULAW);
        MusicUpload.Converted music = MusicUpload.convert(wav(new AudioFormat(8000, 16, 1, true, false),
                littleEndian(pcm)));
        assertArrayEquals(expected, music.ulaw());
        ByteBuffer played = ByteBuffer.allocate(HoldMusic.FRAME_SAMPLES);
        HoldMusic.ofUlaw(music.ulaw()).frame(SdpCodec.PCMU, 7, played);
        assertArrayEquals(Arrays.copyOfRange(expected, 7 * 160, 8 * 160), played.array(),
                "a PCMU caller hears the stored bytes as they are");
    }

    @Test
    void tooShortOrTooLongIsUnplayableSayingHowLong() throws Exception {
        AudioFormat mono8k = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        MusicUpload.Rejected shortOne = assertThrows(MusicUpload.Rejected.class,
                () -> MusicUpload.convert(wav(mono8k, 0.5)));
        assertFalse(shortOne.notWav());
        assertTrue(shortOne.getMessage().contains("lasts 0.5 s"), shortOne.getMessage());
        MusicUpload.Rejected longOne = assertThrows(MusicUpload.Rejected.class,
                () -> MusicUpload.convert(wav(mono8k, 601)));
        assertTrue(longOne.getMessage().contains("lasts 601.0 s; it must last 1.0 s to 600.0 s"),
                longOne.getMessage());
    }

    @Test
    void somethingElseThanAWavIsNotWav() {
        for (byte[] other : List.of("{\"musicFile\": \"/etc/passwd\"}".getBytes(StandardCharsets.UTF_8),
                new byte[0], "ID3\u0004 an mp3".getBytes(StandardCharsets.ISO_8859_1))) {
            MusicUpload.Rejected e = assertThrows(MusicUpload.Rejected.class, () -> MusicUpload.convert(other));
            assertTrue(e.notWav(), e.getMessage());
        }
    }

    @Test
    void aTruncatedHeaderIsAWavThatCannotBeRead() throws Exception {
        byte[] truncated = Arrays.copyOf(wav(new AudioFormat(8000, 16, 1, true, false), 2), 30);
        MusicUpload.Rejected e = assertThrows(MusicUpload.Rejected.class, () -> MusicUpload.convert(truncated));
        assertFalse(e.notWav());
        assertTrue(e.getMessage().contains("header cannot be read"), e.getMessage());
    }

    @Test
    void moreThanTwoChannelsOrAnOddRateIsNamed() throws Exception {
        MusicUpload.Rejected channels = assertThrows(MusicUpload.Rejected.class,
                () -> MusicUpload.convert(wav(new AudioFormat(8000, 16, 4, true, false), 2)));
        assertTrue(channels.getMessage().contains("PCM_SIGNED 8000 Hz 16 bit 4 channels"), channels.getMessage());
        MusicUpload.Rejected rate = assertThrows(MusicUpload.Rejected.class,
                () -> MusicUpload.convert(wav(new AudioFormat(2000, 16, 1, true, false), 2)));
        assertTrue(rate.getMessage().contains("2000 Hz"), rate.getMessage());
    }

    /** A header that claims gigabytes of data is read for the bytes that are there. */
    @Test
    void aHugeDeclaredSizeCountsForWhatTheFileHolds() throws Exception {
        byte[] wav = wav(new AudioFormat(8000, 16, 1, true, false), 3);
        ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(4, Integer.MAX_VALUE); // RIFF size
        header.putInt(40, Integer.MAX_VALUE); // data size: about 37 hours at 8 kHz 16 bit
        MusicUpload.Converted music = MusicUpload.convert(wav);
        assertEquals(3000, music.length().toMillis());
    }

    /** A damaged header is an answer (played, or refused with a reason), never an unexpected exception. */
    @Test
    void aDamagedHeaderIsPlayedOrRefusedNeverAnError() throws Exception {
        byte[] wav = wav(new AudioFormat(16000, 16, 2, true, false), 1.5);
        java.util.Random random = new java.util.Random(12);
        for (int i = 0; i < 500; i++) {
            byte[] damaged = wav.clone();
            for (int flips = 0; flips < 3; flips++) {
                damaged[12 + random.nextInt(36)] = (byte) random.nextInt(256); // the fmt and data chunk headers
            }
            try {
                MusicUpload.convert(damaged);
            } catch (MusicUpload.Rejected expected) {
                assertFalse(expected.notWav(), "it still starts as a WAV");
            }
        }
    }

    private static byte[] wav(AudioFormat format, double seconds) throws Exception {
        long frames = Math.round(format.getSampleRate() * seconds);
        byte[] data = new byte[(int) (frames * format.getFrameSize())];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        return wav(format, data);
    }

    private static byte[] wav(AudioFormat format, byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), format,
                data.length / format.getFrameSize())) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
        }
        return out.toByteArray();
    }

    private static byte[] littleEndian(short[] pcm) {
        ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            bytes.putShort(s);
        }
        return bytes.array();
    }
}
