package org.stemroom.separation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;

/**
 * Runs a {@link Separator} the way users need it: long inputs cut into overlapping chunks and cross-faded back
 * (memory bounded by the chunk length, whatever the input length), the stems made to sum back to the mixture,
 * and an optional choice of stems.
 *
 * <p>Chunk seams: chunks lie on a {@link WindowGrid} and overlap by {@link Separator#chunkOverlapSeconds()}; in the
 * overlap the earlier chunk fades out with cos² and the later fades in with sin², which sum to one, so a separator
 * that returns its input comes back unchanged (to float rounding). Because every chunk's stems sum to that chunk's
 * mixture, the cross-faded stems sum to the whole mixture too. Streamable windows (at most
 * {@value #STREAMABLE_WINDOW_SECONDS} s) give exactly what {@link StreamingSeparator} gives on the same grid.
 */
public final class Separation {

    /** What happens to the part of the mixture the separator's estimates do not explain. */
    public enum Consistency {
        /** Residual shared among the stems in proportion to their energy per time-frequency bin (default). */
        DISTRIBUTE,
        /** Residual written as an extra stem named {@value StemSet#RESIDUAL}. */
        RESIDUAL_STEM,
        /** Raw estimates, for evaluation of the separator itself. */
        NONE
    }

    private final Separator separator;
    private Consistency consistency = Consistency.DISTRIBUTE;
    private List<String> selected; // null: all
    private double chunkSeconds;
    private double overlapSeconds;
    private boolean padLast;
    /** Working memory of {@link #finish} (mixture consistency), reused from window to window. */
    private final Workspace ws = new Workspace();

    public Separation(Separator separator) {
        this.separator = Objects.requireNonNull(separator);
        this.chunkSeconds = separator.maxChunkSeconds();
        this.overlapSeconds = separator.chunkOverlapSeconds();
        this.padLast = chunkSeconds <= STREAMABLE_WINDOW_SECONDS;
    }

    /**
     * Windows up to this long are streamable ({@link StreamingSeparator}): the last one is separated padded with
     * silence to its full length, as the stream sees it, so render and plugin give the same stems. Longer chunks
     * (neural models' minutes) are cut to the input instead: padding minutes of silence would cost as much as
     * separating them and would skew whole-chunk statistics such as Demucs-style normalisation.
     */
    public static final double STREAMABLE_WINDOW_SECONDS = 10.0;

    public Separation consistency(Consistency c) { this.consistency = Objects.requireNonNull(c); return this; }

    /** Chunk length and overlap in seconds (overlap at most half the chunk). */
    public Separation chunking(double chunkSec, double overlapSec) {
        if (!(chunkSec > 0) || !(overlapSec >= 0) || overlapSec * 2 > chunkSec) {
            throw new IllegalArgumentException("bad chunking " + chunkSec + " s / overlap " + overlapSec + " s");
        }
        this.chunkSeconds = chunkSec;
        this.overlapSeconds = overlapSec;
        this.padLast = chunkSec <= STREAMABLE_WINDOW_SECONDS;
        return this;
    }

    /**
     * Keeps only these stems; the others are merged into {@code other} when it is kept, or else into a stem
     * named {@code rest}, so nothing of the mixture is dropped.
     */
    public Separation stems(List<String> names) throws StemroomException {
        if (names == null || names.isEmpty()) { selected = null; return this; }
        for (String n : names) {
            if (!separator.stemNames().contains(n)) {
                throw new StemroomException("separator '" + separator.name() + "' has no stem '" + n
                        + "' (it offers " + separator.stemNames() + ")");
            }
        }
        selected = List.copyOf(names);
        return this;
    }

    public Separator separator() { return separator; }

    /** Window (chunk) length in seconds. */
    public double chunkSeconds() { return chunkSeconds; }

    /** Cross-fade between windows in seconds. */
    public double overlapSeconds() { return overlapSeconds; }

    /** The stem names this separation writes, in order. */
    public List<String> outputNames() {
        List<String> out = new ArrayList<>();
        if (selected == null) {
            out.addAll(separator.stemNames());
        } else {
            out.addAll(selected);
            if (selected.size() < separator.stemNames().size() && !selected.contains("other")) out.add("rest");
        }
        if (consistency == Consistency.RESIDUAL_STEM) out.add(StemSet.RESIDUAL);
        return out;
    }

    /** Separates a clip held in memory (chunked when longer than the chunk length). */
    public StemSet separate(AudioClip mixture, Progress progress) throws StemroomException {
        CollectingSink sink = new CollectingSink(mixture.frames());
        try {
            separate(new ClipSource(mixture), sink, progress);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory separation failed", e); // no I/O happens here
        }
        return sink.result;
    }

    /** The window grid this separation cuts an input at {@code sampleRate} into (the plugin streams on the same). */
    public WindowGrid grid(int sampleRate) {
        return WindowGrid.of(sampleRate, chunkSeconds, overlapSeconds);
    }

    /**
     * Streams a mixture through the separator into the sink, window by window on {@link #grid}: every window is
     * separated at its full length (the last one padded with silence), exactly as {@link StreamingSeparator} sees
     * the stream, so both give the same stems. Memory: a few windows, whatever the input length.
     */
    public void separate(AudioSource source, StemSink sink, Progress progress) throws IOException, StemroomException {
        AudioFormat fmt = source.format();
        int ch = fmt.channels();
        WindowGrid grid = grid(fmt.sampleRate());
        int window = grid.window(), overlap = grid.overlap(), hop = grid.hop();
        List<String> names = outputNames();
        sink.begin(fmt, names);
        progress.begin("separating (" + separator.name() + ")", source.frames());

        separator.reset(); // every input starts with the separator's window-to-window memory empty
        float[][] cur = new float[ch][window];
        float[][] next = new float[ch][window];
        float[][][] tail = new float[names.size()][ch][overlap]; // previous window's stems past its hop
        List<float[][]> data = new ArrayList<>(names.size());
        int n = readFully(source, cur, 0, window); // input frames in the current window; the rest is silence
        boolean first = true;
        while (n > 0) {
            // the next window starts `hop` later: its first `overlap` frames are this window's last
            int m = 0;
            for (int c = 0; c < ch; c++) System.arraycopy(cur[c], hop, next[c], 0, overlap);
            if (n == window) m = readFully(source, next, overlap, hop);
            for (int c = 0; c < ch; c++) java.util.Arrays.fill(next[c], overlap + m, window, 0f);
            int nextN = Math.max(0, n - hop) + m;
            boolean last = padLast ? nextN == 0 : n < window || m == 0;

            AudioClip mix = new AudioClip(fmt, last && !padLast && n < window ? trimmed(cur, n) : cur);
            separateWindow(mix, grid, first, !last, names, tail, data);
            int own = last ? n : hop; // the last window: its input frames only
            sink.write(data, 0, own);
            progress.advance(own);
            first = false;
            float[][] t = cur;
            cur = next;
            next = t;
            n = last ? 0 : nextN;
        }
        sink.end();
        progress.done();
    }

    /**
     * One window of the grid, as both the render and the stream do it: separates {@code mix}, applies consistency
     * and stem selection, cross-fades the start with the previous window's {@code tail} (unless {@code first}), and
     * when {@code more} follows keeps this window's last {@code overlap} frames in {@code tail}. Fills {@code data}
     * with the stems' channels in {@code names} ({@link #outputNames()}) order (valid until the separator's next call).
     */
    void separateWindow(AudioClip mix, WindowGrid grid, boolean first, boolean more, List<String> names,
                        float[][][] tail, List<float[][]> data) throws StemroomException {
        StemSet stems = finish(mix, separator.separate(mix));
        data.clear();
        for (int k = 0; k < tail.length; k++) data.add(stems.get(names.get(k)).samples());
        int ch = mix.channels(), hop = grid.hop(), overlap = grid.overlap();
        for (int k = 0; k < data.size(); k++) {
            for (int c = 0; c < ch; c++) {
                float[] x = data.get(k)[c];
                if (!first) grid.blend(x, tail[k][c]);
                if (more) System.arraycopy(x, hop, tail[k][c], 0, overlap);
            }
        }
    }

    /** Applies consistency and stem selection to one chunk's raw estimates. */
    StemSet finish(AudioClip mixture, StemSet raw) throws StemroomException {
        if (raw.frames() != mixture.frames() || raw.channels() != mixture.channels()
                || raw.format().sampleRate() != mixture.sampleRate()) {
            throw new StemroomException("separator '" + separator.name() + "' returned " + raw.channels() + " ch x "
                    + raw.frames() + " frames at " + raw.format().sampleRate() + " Hz for a mixture of "
                    + mixture.channels() + " ch x " + mixture.frames() + " frames at " + mixture.sampleRate() + " Hz");
        }
        List<String> rawNames = raw.names();
        for (int k = 0; k < rawNames.size(); k++) { // indexed: no iterator per window
            String n = rawNames.get(k);
            for (float[] c : raw.get(n).samples()) {
                if (!allFinite(c)) {
                    throw new StemroomException("separator '" + separator.name() + "' produced a non-finite "
                            + "sample in stem '" + n + "'");
                }
            }
        }
        StemSet s = raw;
        if (selected != null) {
            s = new StemSet(raw.format(), raw.frames());
            String sink = selected.contains("other") ? "other" : "rest";
            float[][] merged = null;
            for (String n : raw.names()) {
                if (selected.contains(n)) continue;
                if (merged == null) merged = new float[raw.channels()][raw.frames()];
                add(merged, raw.get(n).samples());
            }
            for (String n : selected) {
                float[][] d = raw.get(n).samples();
                if (n.equals(sink) && merged != null) { add(merged, d); d = merged; }
                s.put(n, d);
            }
            if (sink.equals("rest") && merged != null) s.put("rest", merged);
        }
        switch (consistency) {
            case DISTRIBUTE:
                ws.rewind();
                MixtureConsistency.distribute(mixture, s, ws);
                break;
            case RESIDUAL_STEM:
                // a separator may hand back the same set every window: add the residual to a copy of it
                if (s == raw) s = raw.slice(0, raw.frames());
                s.put(StemSet.RESIDUAL, MixtureConsistency.residual(mixture, s));
                break;
            default:
                break;
        }
        return s;
    }

    /*
     * The scan over every stem sample of a window, in a method of its own: inside finish() the loop nest was compiled
     * on-stack and ran at several ns a sample (JFR of a render, session 9: 1.7 % of all samples).
     */
    private static boolean allFinite(float[] x) {
        for (float v : x) {
            if (!(Math.abs(v) <= Float.MAX_VALUE)) return false;
        }
        return true;
    }

    private static void add(float[][] acc, float[][] x) {
        for (int c = 0; c < acc.length; c++) {
            for (int i = 0; i < acc[c].length; i++) acc[c][i] += x[c][i];
        }
    }

    private static float[][] trimmed(float[][] buf, int n) {
        float[][] out = new float[buf.length][];
        for (int c = 0; c < buf.length; c++) out[c] = java.util.Arrays.copyOf(buf[c], n);
        return out;
    }

    private static int readFully(AudioSource src, float[][] dst, int off, int count) throws IOException {
        int got = 0;
        while (got < count) {
            int r = src.read(dst, off + got, count - got);
            if (r <= 0) break;
            got += r;
        }
        return got;
    }

    /** An in-memory clip as a source. */
    public static final class ClipSource implements AudioSource {
        private final AudioClip clip;
        private int pos;

        public ClipSource(AudioClip clip) { this.clip = clip; }

        @Override public AudioFormat format() { return clip.format(); }
        @Override public long frames() { return clip.frames(); }

        @Override
        public int read(float[][] dst, int offset, int count) {
            int n = Math.min(count, clip.frames() - pos);
            for (int c = 0; c < clip.channels(); c++) System.arraycopy(clip.channel(c), pos, dst[c], offset, n);
            pos += n;
            return n;
        }
    }

    private static final class CollectingSink implements StemSink {
        private final int total;
        private StemSet result;
        private int pos;

        CollectingSink(int total) { this.total = total; }

        @Override
        public void begin(AudioFormat format, List<String> stemNames) {
            result = StemSet.silent(format, total, stemNames);
        }

        @Override
        public void write(List<float[][]> stems, int offset, int count) {
            List<String> names = result.names();
            for (int k = 0; k < stems.size(); k++) {
                float[][] dst = result.get(names.get(k)).samples();
                for (int c = 0; c < dst.length; c++) System.arraycopy(stems.get(k)[c], offset, dst[c], pos, count);
            }
            pos += count;
        }
    }
}
