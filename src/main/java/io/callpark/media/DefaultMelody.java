package io.callpark.media;

/**
 * The built-in hold music, made here rather than shipped: an eight-second loop of soft arpeggios over
 * C - Am - F - G, each note a decaying sine with a touch of its octave so it survives G.711.
 */
public final class DefaultMelody {

    private static final double[][] CHORDS = {
            {261.63, 329.63, 392.00, 523.25},  // C
            {220.00, 261.63, 329.63, 440.00},  // Am
            {174.61, 220.00, 261.63, 349.23},  // F
            {196.00, 246.94, 293.66, 392.00},  // G
    };
    private static final int NOTE_SAMPLES = HoldMusic.SAMPLE_RATE / 4;
    private static final int NOTES_PER_CHORD = 8;
    private static final double PEAK = 0.22 * Short.MAX_VALUE;

    private DefaultMelody() {
    }

    public static short[] render() {
        short[] pcm = new short[CHORDS.length * NOTES_PER_CHORD * NOTE_SAMPLES];
        int offset = 0;
        for (double[] chord : CHORDS) {
            for (int n = 0; n < NOTES_PER_CHORD; n++) {
                int step = n < 4 ? n : 7 - n; // up the chord, then down
                double frequency = chord[Math.min(step, chord.length - 1)];
                for (int i = 0; i < NOTE_SAMPLES; i++) {
                    double t = (double) i / HoldMusic.SAMPLE_RATE;
                    double envelope = Math.exp(-6.0 * t) * Math.min(1.0, i / 40.0);
                    double tone = Math.sin(2 * Math.PI * frequency * t)
                            + 0.25 * Math.sin(4 * Math.PI * frequency * t);
                    pcm[offset + i] = (short) Math.round(PEAK * envelope * tone / 1.25);
                }
                offset += NOTE_SAMPLES;
            }
        }
        return pcm;
    }
}
