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
 * <p>Chunk seams: consecutive chunks overlap by {@link Separator#chunkOverlapSeconds()}; in the overlap the
 * earlier chunk fades out with cos² and the later fades in with sin², which sum to one, so a separator that
 * returns its input comes back unchanged (to float rounding). Because every chunk's stems sum to that chunk's
 * mixture, the cross-faded stems sum to the whole mixture too.
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

    public Separation(Separator separator) {
        this.separator = Objects.requireNonNull(separator);
        this.chunkSeconds = separator.maxChunkSeconds();
        this.overlapSeconds = separator.chunkOverlapSeconds();
    }

    public Separation consistency(Consistency c) { this.consistency = Objects.requireNonNull(c); return this; }

    /** Chunk length and overlap in seconds (overlap at most half the chunk). */
    public Separation chunking(double chunkSec, double overlapSec) {
        if (!(chunkSec > 0) || !(overlapSec >= 0) || overlapSec * 2 > chunkSec) {
            throw new IllegalArgumentException("bad chunking " + chunkSec + " s / overlap " + overlapSec + " s");
        }
        this.chunkSeconds = chunkSec;
        this.overlapSeconds = overlapSec;
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

    /** Streams a mixture through the separator into the sink. Memory: a few chunks, whatever the input length. */
    public void separate(AudioSource source, StemSink sink, Progress progress) throws IOException, StemroomException {
        AudioFormat fmt = source.format();
        int rate = fmt.sampleRate();
        int ch = fmt.channels();
        int chunk = (int) Math.max(1, Math.round(chunkSeconds * rate));
        int overlap = (int) Math.min(chunk / 2, Math.round(overlapSeconds * rate));
        int hop = chunk - overlap;
        float[] fadeIn = new float[overlap];
        for (int i = 0; i < overlap; i++) {
            double s = Math.sin(0.5 * Math.PI * (i + 0.5) / overlap);
            fadeIn[i] = (float) (s * s);
        }
        List<String> names = outputNames();
        sink.begin(fmt, names);
        progress.begin("separating (" + separator.name() + ")", source.frames());

        float[][] cur = new float[ch][chunk];
        float[][] next = new float[ch][chunk];
        int n = readFully(source, cur, 0, chunk);
        float[][][] tail = null; // last `overlap` frames of the previous chunk's stems
        boolean first = true;
        while (n > 0) {
            // Peek at what follows, to know whether this chunk is the last.
            int m = 0;
            if (n == chunk) {
                for (int c = 0; c < ch; c++) System.arraycopy(cur[c], hop, next[c], 0, overlap);
                m = readFully(source, next, overlap, hop);
            }
            boolean last = m == 0;
            AudioClip mix = new AudioClip(fmt, trimmed(cur, n));
            StemSet stems = finish(mix, separator.separate(mix));
            List<float[][]> data = new ArrayList<>(names.size());
            for (String s : names) data.add(stems.get(s).samples());

            int start = 0;
            if (!first && overlap > 0) {
                int o = Math.min(overlap, n);
                for (int k = 0; k < data.size(); k++) {
                    for (int c = 0; c < ch; c++) {
                        float[] d = data.get(k)[c];
                        float[] t = tail[k][c];
                        for (int i = 0; i < o; i++) d[i] = t[i] * (1f - fadeIn[i]) + d[i] * fadeIn[i];
                    }
                }
            }
            int end = last ? n : n - overlap;
            if (end > start) sink.write(data, start, end - start);
            progress.advance(end - start);
            if (!last) {
                if (tail == null) tail = new float[data.size()][ch][overlap];
                for (int k = 0; k < data.size(); k++) {
                    for (int c = 0; c < ch; c++) System.arraycopy(data.get(k)[c], n - overlap, tail[k][c], 0, overlap);
                }
            }
            first = false;
            float[][] t = cur;
            cur = next;
            next = t;
            n = last ? 0 : overlap + m;
        }
        sink.end();
        progress.done();
    }

    /** Applies consistency and stem selection to one chunk's raw estimates. */
    StemSet finish(AudioClip mixture, StemSet raw) throws StemroomException {
        if (raw.frames() != mixture.frames() || raw.channels() != mixture.channels()
                || raw.format().sampleRate() != mixture.sampleRate()) {
            throw new StemroomException("separator '" + separator.name() + "' returned " + raw.channels() + " ch x "
                    + raw.frames() + " frames at " + raw.format().sampleRate() + " Hz for a mixture of "
                    + mixture.channels() + " ch x " + mixture.frames() + " frames at " + mixture.sampleRate() + " Hz");
        }
        for (String n : raw.names()) {
            for (float[] c : raw.get(n).samples()) {
                for (float v : c) {
                    if (!Float.isFinite(v)) {
                        throw new StemroomException("separator '" + separator.name() + "' produced a non-finite "
                                + "sample in stem '" + n + "'");
                    }
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
                MixtureConsistency.distribute(mixture, s);
                break;
            case RESIDUAL_STEM:
                s.put(StemSet.RESIDUAL, MixtureConsistency.residual(mixture, s));
                break;
            default:
                break;
        }
        return s;
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
