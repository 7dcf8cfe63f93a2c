package io.callpark.media;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prompts the build speaks (espeak-ng) are on the class path and say a slot digit by digit. */
class PromptsTest {

    @Test
    void aSlotIsSpokenDigitByDigitAfterTheLeadIn() throws Exception {
        Prompts prompts = Prompts.load();
        int one = prompts.parkedAt("7").frameCount();
        int three = prompts.parkedAt("701").frameCount();
        int seconds = one * HoldMusic.FRAME_SAMPLES / HoldMusic.SAMPLE_RATE;
        assertTrue(seconds >= 1 && seconds < 6, "the lead-in and one digit take a second or a few: " + seconds);
        assertTrue(three - one > 2 * 0.3 * HoldMusic.SAMPLE_RATE / HoldMusic.FRAME_SAMPLES,
                "two more digits, each spoken: " + one + " vs " + three + " frames");
        assertTrue(loudFrames(prompts.parkedAt("701")) > 50, "it is speech, not silence");
    }

    @Test
    void aTenantsOwnRecordingReplacesTheBuiltInPromptForThatTenantOnly(@TempDir Path dir) throws Exception {
        Path acme = Files.createDirectories(dir.resolve("acme.test"));
        short[] tone = new short[3 * HoldMusic.SAMPLE_RATE]; // three seconds, longer than the built-in lead-in
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / HoldMusic.SAMPLE_RATE));
        }
        wav(tone, acme.resolve("parked-at.wav"));
        Files.writeString(acme.resolve("digit-7.wav"), "not a wav"); // refused, the built-in one stays

        Prompts prompts = Prompts.load(Optional.of(dir));
        int builtIn = prompts.parkedAt("globex.test", "7").frameCount();
        int own = prompts.parkedAt("acme.test", "7").frameCount();
        int digit = Prompts.load().parkedAt("7").frameCount() - Prompts.load().parkedAt("").frameCount();
        assertEquals(Prompts.load().parkedAt("7").frameCount(), builtIn, "another tenant hears the built-in one");
        // the lead-in's gap (0.1 s) and the closing silence (0.5 s) come with any lead-in
        int expected = (tone.length + HoldMusic.SAMPLE_RATE / 10 + HoldMusic.SAMPLE_RATE / 2) / HoldMusic.FRAME_SAMPLES
                + digit;
        assertTrue(Math.abs(own - expected) <= 1, "acme's lead-in, then the built-in 7: " + own + " vs " + expected);
    }

    private static void wav(short[] pcm, Path file) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : pcm) {
            bytes.putShort(s);
        }
        AudioFormat format = new AudioFormat(HoldMusic.SAMPLE_RATE, 16, 1, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(bytes.array()), format, pcm.length),
                AudioFileFormat.Type.WAVE, file.toFile());
    }

    private static int loudFrames(HoldMusic music) {
        int loud = 0;
        ByteBuffer frame = ByteBuffer.allocate(HoldMusic.FRAME_SAMPLES);
        for (int i = 0; i < music.frameCount(); i++) {
            frame.clear();
            music.frame(0, i, frame); // PCMU: 0xff and 0x7f are the two zeros
            for (byte b : frame.array()) {
                if ((b & 0x7f) < 0x60) {
                    loud++;
                    break;
                }
            }
        }
        return loud;
    }
}
