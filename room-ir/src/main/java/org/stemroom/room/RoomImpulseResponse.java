package org.stemroom.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;

/**
 * A set of room impulse responses: a matrix {@code [source][output]} of equal-length IRs at one sample rate,
 * with what is known about the room. Sources are the inputs fed into the room (a mono or stereo feed, or
 * several source positions), outputs the microphone/loudspeaker channels ({@link #outputLayout()}).
 * A null entry is a pair with no path (e.g. plain stereo IRs: left feeds only the left output).
 * Immutable: every preparation step returns a new instance.
 */
public final class RoomImpulseResponse {

    /** Longest IR accepted: longer files are almost always a mistake (a song, not an IR). */
    public static final double MAX_SECONDS = 30.0;

    /** What is known about the room and the capture; every field may be empty. */
    public static final class Metadata {
        public final String name;
        public final String room;
        public final String licence;
        public final String notes;
        /** Source positions in metres (x, y, z), one per source, or empty. */
        public final List<double[]> sourcePositions;
        /** Receiver positions in metres, one per output, or empty. */
        public final List<double[]> receiverPositions;

        public Metadata(String name, String room, String licence, String notes,
                        List<double[]> sourcePositions, List<double[]> receiverPositions) {
            this.name = name == null ? "" : name;
            this.room = room == null ? "" : room;
            this.licence = licence == null ? "" : licence;
            this.notes = notes == null ? "" : notes;
            this.sourcePositions = sourcePositions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(sourcePositions));
            this.receiverPositions = receiverPositions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(receiverPositions));
        }

        public static Metadata named(String name) {
            return new Metadata(name, "", "", "", null, null);
        }

        public Metadata withNotes(String moreNotes) {
            String n = notes.isEmpty() ? moreNotes : notes + "; " + moreNotes;
            return new Metadata(name, room, licence, n, sourcePositions, receiverPositions);
        }
    }

    private final float[][][] matrix;
    private final int sampleRate;
    private final ChannelLayout outputLayout;
    private final Metadata metadata;
    private final int length;

    /**
     * @param matrix {@code [source][output][taps]}, all non-null entries of the same length (shorter ones are
     *               zero-padded here); not copied
     */
    public RoomImpulseResponse(float[][][] matrix, int sampleRate, ChannelLayout outputLayout, Metadata metadata) {
        if (matrix.length == 0 || matrix[0].length == 0) throw new IllegalArgumentException("empty IR matrix");
        new AudioFormat(sampleRate, outputLayout); // validates the rate
        int outs = matrix[0].length;
        if (outputLayout.channelCount() != outs) {
            throw new IllegalArgumentException("layout " + outputLayout.name() + " has " + outputLayout.channelCount()
                    + " channels for " + outs + " IR outputs");
        }
        int len = 0;
        for (float[][] row : matrix) {
            if (row.length != outs) throw new IllegalArgumentException("ragged IR matrix");
            for (float[] h : row) if (h != null) len = Math.max(len, h.length);
        }
        if (len == 0) throw new IllegalArgumentException("IR matrix has no samples");
        for (float[][] row : matrix) {
            for (int o = 0; o < outs; o++) {
                if (row[o] != null && row[o].length < len) row[o] = Arrays.copyOf(row[o], len);
            }
        }
        this.matrix = matrix;
        this.sampleRate = sampleRate;
        this.outputLayout = outputLayout;
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.length = len;
    }

    /** One source into as many outputs as the arrays given (e.g. a mono, stereo or 5.1 microphone IR). */
    public static RoomImpulseResponse oneSource(float[][] outputs, int sampleRate, ChannelLayout layout, Metadata md) {
        return new RoomImpulseResponse(new float[][][] {outputs}, sampleRate, layout, md);
    }

    /** Plain stereo: left source to left output, right to right, no cross paths. */
    public static RoomImpulseResponse stereoPair(float[] left, float[] right, int sampleRate, Metadata md) {
        return new RoomImpulseResponse(new float[][][] {{left, null}, {null, right}}, sampleRate, ChannelLayout.STEREO, md);
    }

    /** True stereo from four IRs LL, LR, RL, RR (source to output). */
    public static RoomImpulseResponse trueStereo(float[] ll, float[] lr, float[] rl, float[] rr, int sampleRate, Metadata md) {
        return new RoomImpulseResponse(new float[][][] {{ll, lr}, {rl, rr}}, sampleRate, ChannelLayout.STEREO, md);
    }

    /** The IRs {@code [source][output][taps]} (not a copy; null = no path). */
    public float[][][] matrix() { return matrix; }
    public float[] ir(int source, int output) { return matrix[source][output]; }
    public int sources() { return matrix.length; }
    public int outputs() { return matrix[0].length; }
    public int sampleRate() { return sampleRate; }
    public int length() { return length; }
    public double durationSeconds() { return length / (double) sampleRate; }
    public ChannelLayout outputLayout() { return outputLayout; }
    public Metadata metadata() { return metadata; }

    public int nonSilentPairs() {
        int n = 0;
        for (float[][] row : matrix) for (float[] h : row) if (h != null) n++;
        return n;
    }

    /** A new set with every IR replaced by {@code f(source, output, ir)} (null stays null). */
    public RoomImpulseResponse map(IrFunction f) {
        float[][][] m = new float[sources()][outputs()][];
        for (int s = 0; s < sources(); s++) {
            for (int o = 0; o < outputs(); o++) {
                if (matrix[s][o] != null) m[s][o] = f.apply(s, o, matrix[s][o]);
            }
        }
        return new RoomImpulseResponse(m, sampleRate, outputLayout, metadata);
    }

    public RoomImpulseResponse withMetadata(Metadata md) {
        return new RoomImpulseResponse(matrix, sampleRate, outputLayout, md);
    }

    /** Same IRs at another rate claim; used after resampling. */
    RoomImpulseResponse withMatrix(float[][][] m, int rate) {
        return new RoomImpulseResponse(m, rate, outputLayout, metadata);
    }

    /** A function over one IR of the matrix. */
    @FunctionalInterface
    public interface IrFunction {
        float[] apply(int source, int output, float[] ir);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s: %d source(s) x %d output(s) (%s), %.3f s at %d Hz",
                metadata.name.isEmpty() ? "IR" : metadata.name, sources(), outputs(), outputLayout.name(),
                durationSeconds(), sampleRate);
    }
}
