package io.callpark.media;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

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
