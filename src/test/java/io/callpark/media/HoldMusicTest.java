package io.callpark.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HoldMusicTest {

    @Test
    void defaultMelodyIsEightSecondsOfFrames() {
        HoldMusic music = HoldMusic.of(DefaultMelody.render());
        assertEquals(400, music.frameCount(), "8 s of 20 ms frames");
        ByteBuffer ulaw = ByteBuffer.allocate(160);
        ByteBuffer alaw = ByteBuffer.allocate(160);
        music.frame(SdpCodec.PCMU, 3, ulaw);
        music.frame(SdpCodec.PCMA, 3, alaw);
        assertNotEquals(ByteBuffer.wrap(ulaw.array()), ByteBuffer.wrap(alaw.array()), "two different laws");
    }

    @Test
    void stereoWavAt16kIsMixedAndResampledTo8k(@TempDir Path dir) throws Exception {
        int frames = 16000; // one second at 16 kHz
        byte[] pcm = new byte[frames * 4];
        AudioFormat format = new AudioFormat(16000, 16, 2, true, false);
        Path wav = dir.resolve("music.wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, wav.toFile());
        }
        assertEquals(50, HoldMusic.fromWav(wav).frameCount(), "1 s at 8 kHz = 50 frames");
    }

    @Test
    void notAWavIsRefusedWithTheFileName(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.wav"), "hello");
        var e = assertThrows(java.io.IOException.class, () -> HoldMusic.fromWav(bogus));
        assertEquals(true, e.getMessage().contains("bogus.wav"));
    }
}
