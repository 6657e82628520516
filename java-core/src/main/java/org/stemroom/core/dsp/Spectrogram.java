package org.stemroom.core.dsp;

/**
 * A complex short-time spectrum: {@code frames x bins} in split layout ({@code re[frame][bin]},
 * {@code im[frame][bin]}), as {@link Stft#analyze} produces and {@link Stft#synthesize} consumes.
 * The arrays are exposed for speed (masking, model input); they are not copied.
 */
public final class Spectrogram {
    private final float[][] re;
    private final float[][] im;

    public Spectrogram(int frames, int bins) {
        if (frames < 0 || bins < 1) throw new IllegalArgumentException("bad spectrogram size " + frames + "x" + bins);
        this.re = new float[frames][bins];
        this.im = new float[frames][bins];
    }

    public int frames() { return re.length; }
    public int bins() { return re.length == 0 ? 0 : re[0].length; }

    /** Real parts of one frame (the backing array). */
    public float[] re(int frame) { return re[frame]; }
    /** Imaginary parts of one frame (the backing array). */
    public float[] im(int frame) { return im[frame]; }

    public float[][] re() { return re; }
    public float[][] im() { return im; }

    public float magnitude(int frame, int bin) {
        float a = re[frame][bin], b = im[frame][bin];
        return (float) Math.sqrt(a * a + b * b);
    }

    /** A deep copy (for masking experiments that must keep the original). */
    public Spectrogram copy() {
        Spectrogram s = new Spectrogram(frames(), Math.max(1, bins()));
        for (int f = 0; f < re.length; f++) {
            System.arraycopy(re[f], 0, s.re[f], 0, re[f].length);
            System.arraycopy(im[f], 0, s.im[f], 0, im[f].length);
        }
        return s;
    }
}
