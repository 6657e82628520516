package org.stemroom.separation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;

/**
 * Named stems of one mixture, in a fixed order, all of the same format and length. The clips are held by
 * reference: a separator builds the set, the caller may then edit the arrays in place (mixture consistency does).
 */
public final class StemSet {
    /** Name of the stem that receives what the estimates do not explain, when the user asks for it. */
    public static final String RESIDUAL = "residual";

    private final AudioFormat format;
    private final int frames;
    private final LinkedHashMap<String, AudioClip> stems = new LinkedHashMap<>();
    /** The names in order, and a read-only view of them handed out by {@link #names()} (no copy per call). */
    private final ArrayList<String> order = new ArrayList<>();
    private final List<String> namesView = Collections.unmodifiableList(order);

    public StemSet(AudioFormat format, int frames) {
        this.format = format;
        this.frames = frames;
    }

    /** A set of silent stems with these names. */
    public static StemSet silent(AudioFormat format, int frames, List<String> names) {
        StemSet s = new StemSet(format, frames);
        for (String n : names) s.put(n, new float[format.channels()][frames]);
        return s;
    }

    public StemSet put(String name, AudioClip clip) {
        if (!clip.format().equals(format) && (clip.sampleRate() != format.sampleRate()
                || clip.channels() != format.channels())) {
            throw new IllegalArgumentException("stem '" + name + "' is " + clip.format() + ", the set is " + format);
        }
        if (clip.frames() != frames) {
            throw new IllegalArgumentException("stem '" + name + "' has " + clip.frames() + " frames, the set "
                    + frames);
        }
        if (stems.put(name, clip) == null) order.add(name);
        return this;
    }

    /**
     * Puts a stem's samples. Putting the very arrays a stem already holds changes nothing and allocates nothing: a
     * separator that returns the same set window after window (from reused working memory) rebuilds it for free.
     */
    public StemSet put(String name, float[][] samples) {
        AudioClip old = stems.get(name);
        if (old != null && old.samples() == samples) return this;
        return put(name, new AudioClip(format, samples));
    }

    public AudioFormat format() { return format; }
    public int frames() { return frames; }
    public int channels() { return format.channels(); }
    public int size() { return stems.size(); }

    /** The stem names in order (a read-only view that follows later {@code put}s). */
    public List<String> names() { return namesView; }

    public boolean has(String name) { return stems.containsKey(name); }

    public AudioClip get(String name) {
        AudioClip c = stems.get(name);
        if (c == null) throw new IllegalArgumentException("no stem '" + name + "' (stems: " + names() + ")");
        return c;
    }

    public Map<String, AudioClip> asMap() { return Collections.unmodifiableMap(stems); }

    /** The sample-wise sum of all stems (double accumulation, rounded once to float). */
    public float[][] sum() {
        int ch = format.channels();
        float[][] out = new float[ch][frames];
        double[] acc = new double[frames];
        for (int c = 0; c < ch; c++) {
            java.util.Arrays.fill(acc, 0);
            for (AudioClip s : stems.values()) {
                float[] x = s.channel(c);
                for (int i = 0; i < frames; i++) acc[i] += x[i];
            }
            for (int i = 0; i < frames; i++) out[c][i] = (float) acc[i];
        }
        return out;
    }

    /** Largest absolute difference between the stems' sum and the mixture (full scale = 1.0). */
    public double consistencyError(AudioClip mixture) {
        if (mixture.frames() != frames || mixture.channels() != format.channels()) {
            throw new IllegalArgumentException("mixture shape differs from the stems");
        }
        double worst = 0;
        for (int c = 0; c < format.channels(); c++) {
            float[] m = mixture.channel(c);
            for (int i = 0; i < frames; i++) {
                double s = 0;
                for (AudioClip st : stems.values()) s += st.channel(c)[i];
                worst = Math.max(worst, Math.abs(s - m[i]));
            }
        }
        return worst;
    }

    /** A new set with the same stems cut to {@code [from, from+length)}. */
    public StemSet slice(int from, int length) {
        StemSet s = new StemSet(format, length);
        for (Map.Entry<String, AudioClip> e : stems.entrySet()) {
            float[][] d = new float[format.channels()][];
            for (int c = 0; c < d.length; c++) {
                d[c] = java.util.Arrays.copyOfRange(e.getValue().channel(c), from, from + length);
            }
            s.put(e.getKey(), d);
        }
        return s;
    }
}
