package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.core.loudness.LoudnessMeter;
import org.stemroom.presets.MasterSettings;
import org.stemroom.workstation.master.MasterStage;
import org.stemroom.workstation.report.AudioThumbnail;
import org.stemroom.workstation.report.SpectrogramRows;
import org.stemroom.workstation.report.ReportWriter;

/**
 * The master stage of a mix as {@code stemroom render} and {@code stemroom place} both run it: the pre-master mix
 * streams in (already aligned with the input), the mastered mix file comes out (loudness gain, then the
 * {@link MasterStage}'s true-peak limiter, its latency removed).
 *
 * <p>With a loudness target the whole programme must be measured before its gain is known: the pre-master goes to
 * a 32-bit float staging file, and {@link #finish} reads it back through the stage. Without one the stage runs on
 * the mix as it streams in, re-blocked to whole blocks as the staging file would be read, so both ways give the
 * same bits (the stage's samples do not depend on block sizes; the meters' double sums do in their last bits, and
 * render.json records them).
 */
final class MasterPass implements AlignedWriter.Target {
    private final MasterSettings settings;
    private final Path target;
    private final Path staging;
    private final AudioFormat format;
    private final SampleFormat sampleFormat;
    private final List<Path> inputs;
    private final int block;
    private final boolean inStream;
    private final LoudnessMeter premasterMeter; // its integrated loudness is all that is reported (or used for the gain)
    private final StreamStats mixStats;

    private MasterStage stage;
    private AudioBuffer buf;
    private int pending;                 // frames gathered in buf towards a whole block (in-stream)
    private AudioFileWriter writer;      // the mix (in-stream) or the staging file (two-pass)
    private AlignedWriter aligned;       // the stage's output, latency removed (in-stream)
    private AudioThumbnail.Builder picture;
    private long totalFrames;
    private final List<AlignedWriter.Tap> taps = new java.util.ArrayList<>();
    private java.util.concurrent.ExecutorService measureOn; // null: the mix is measured on the writing thread
    private AsyncTaps async;
    private RenderEngine.CommitPool writeBack; // null: the mix is forced to the disk only by its commit
    private String commitName;                 // the mix's name in the output folder, for writeBack's commit
    private double gainDb;
    private boolean checksum;

    /**
     * @param target   the mastered mix
     * @param staging  where the pre-master waits when there is a loudness target (deleted by {@link #finish})
     * @param inStream false forces the two-pass path even without a loudness target (tests compare the two)
     */
    MasterPass(MasterSettings settings, Path target, Path staging, AudioFormat format, SampleFormat sampleFormat,
               List<Path> inputs, int block, boolean inStream) {
        this.settings = settings;
        this.target = target;
        this.staging = staging;
        this.format = format;
        this.sampleFormat = sampleFormat;
        this.inputs = inputs;
        this.block = block;
        this.inStream = inStream && settings.loudnessLufs() == null;
        this.premasterMeter = new LoudnessMeter(format, false);
        this.mixStats = new StreamStats(format);
    }

    /** Also hands the mastered mix, block by block as it is written, to {@code t} (before {@link #begin}). */
    void tap(AlignedWriter.Tap t) { taps.add(t); }

    /**
     * Measures the mastered mix (its levels, picture and the taps) on a worker of {@code executor} instead of on
     * the thread that writes it (before {@link #begin}). Same results: the worker sees the same blocks in order.
     */
    void measureOn(java.util.concurrent.ExecutorService executor) { measureOn = executor; }

    /** Takes the mix's SHA-256 while writing it ({@link #mixSha256()}; before {@link #begin}). */
    void checksum() { checksum = true; }

    /**
     * Has {@code pool} force the streamed mix to the disk as it grows, so its commit waits only for the last
     * stretch (see {@link RenderEngine.CommitPool#wrote}), and commit it there as {@code name} (the output's name in
     * the output folder; before {@link #begin}). The commit's force (fsync) then runs beside the placed stems' and the
     * room's instead of on the thread that finishes the mix, which the render's own thread joins before it starts the
     * report's last parts (the mix's picture, the fold-down sections): those now run while the last commits wait for
     * the disk (docs/render-speed-history.md, session 35). The mix's checksum comes with the pool's
     * {@link RenderEngine.CommitPool#await}, so {@link #mixSha256()} is null then. Only the in-stream path: the
     * two-pass path commits on the calling thread as before.
     */
    void writeBack(RenderEngine.CommitPool pool, String name) {
        writeBack = pool;
        commitName = name;
    }

    /** True when the stage runs on the mix as it streams in (no loudness target). */
    boolean inStream() { return inStream; }

    /** Opens the output (the mix, or the staging file); {@code frames}: the pre-master's length. */
    void begin(long frames) throws IOException {
        totalFrames = frames;
        if (inStream) {
            stage = newStage(0);
            writer = createMix();
            aligned = new AlignedWriter(writer, stage.latencyFrames(), frames, format.channels(), block,
                    measureOn == null ? mixStats : null);
            picture = newPicture(frames);
            attachMeasures(aligned);
            buf = new AudioBuffer(format.channels(), block);
        } else {
            writer = AudioFileWriter.create(staging, format, SampleFormat.FLOAT_32, options());
        }
    }

    private AudioFileWriter.Options options() {
        return AudioFileWriter.Options.defaults().inputsNotToOverwrite(inputs);
    }

    /** The mix is as long as the pre-master: with {@link #checksum()} its writer checksums it as it writes it. */
    private AudioFileWriter createMix() throws IOException {
        AudioFileWriter.Options o = options();
        if (checksum) o.checksumFor(totalFrames).pastPageCache(true); // as the render's other outputs
        return AudioFileWriter.create(target, format, sampleFormat, o);
    }

    private MasterStage newStage(double gain) {
        MasterStage st = new MasterStage(gain, settings.truePeakDbtp(), settings.lookaheadMs(), settings.releaseMs());
        st.prepare(format, block);
        return st;
    }

    private AudioThumbnail.Builder newPicture(long frames) {
        return new AudioThumbnail.Builder(ReportWriter.COLUMNS, format.sampleRate(), frames, format.channels(),
                SpectrogramRows.bins(format.sampleRate()));
    }

    /** The next frames of the pre-master. */
    @Override
    public void write(AudioBuffer premaster) throws IOException {
        premasterMeter.process(premaster.data(), 0, premaster.frames());
        if (!inStream) {
            writer.write(premaster);
            return;
        }
        int n = premaster.frames();
        int pos = 0;
        while (pos < n) {
            int take = Math.min(block - pending, n - pos);
            for (int c = 0; c < buf.channels(); c++) {
                System.arraycopy(premaster.channel(c), pos, buf.channel(c), pending, take);
            }
            pending += take;
            pos += take;
            if (pending == block) processPending();
        }
    }

    private void processPending() throws IOException {
        buf.setFrames(pending);
        stage.process(buf);
        aligned.write(buf);
        if (writeBack != null) writeBack.wrote(writer);
        pending = 0;
    }

    /**
     * Masters what is left (two-pass: all of it) and commits the mix (in-stream with {@link #writeBack}: hands it to
     * the pool to commit); it stays where {@code target} is.
     */
    void finish(Progress progress) throws IOException {
        if (inStream) {
            if (pending > 0) processPending();
            flushLatency(aligned);
            if (async != null) async.finish();
            if (writeBack != null) {
                writeBack.commit(writer, commitName);
                return;
            }
        } else {
            writer.commit();
            writer.close();
            masterStaged(progress);
            Files.delete(staging);
            return;
        }
        writer.commit();
        writer.close();
    }

    /** The mix's levels, its picture and the taps, on the mix's own writer or on the measuring worker. */
    private void attachMeasures(AlignedWriter aw) {
        if (measureOn == null) {
            aw.tap(picture::add);
            for (AlignedWriter.Tap t : taps) aw.tap(t);
            return;
        }
        List<AlignedWriter.Tap> all = new java.util.ArrayList<>();
        all.add(mixStats::add);
        all.add(picture::add);
        all.addAll(taps);
        async = new AsyncTaps("the mix", all, format.channels(), block, measureOn);
        aw.tap(async);
    }

    /** The limiter's latency flushed with silence. */
    private void flushLatency(AlignedWriter aw) throws IOException {
        while (aw.remaining() > 0) {
            buf.setFrames(block);
            buf.clear();
            stage.process(buf);
            aw.write(buf);
        }
    }

    private void masterStaged(Progress progress) throws IOException {
        double lufs = premasterMeter.integratedLufs();
        if (settings.loudnessLufs() != null && Double.isFinite(lufs)) {
            // Offline normalization: the whole programme was measured on the way in; one gain brings it to target
            // (the limiter that follows may take a little back on peaky material; the report shows the result).
            gainDb = settings.loudnessLufs() - lufs;
        }
        stage = newStage(gainDb);
        buf = new AudioBuffer(format.channels(), block);
        picture = newPicture(totalFrames);
        try (AudioFileReader r = AudioFileReader.open(staging)) {
            writer = createMix();
            AlignedWriter aw = new AlignedWriter(writer, stage.latencyFrames(), r.frames(), format.channels(), block,
                    measureOn == null ? mixStats : null);
            attachMeasures(aw);
            progress.begin("mastering", r.frames());
            while (true) {
                buf.setFrames(block);
                int n = r.read(buf);
                if (n <= 0) break;
                stage.process(buf);
                aw.write(buf);
                progress.advance(n);
            }
            flushLatency(aw);
            if (async != null) async.finish();
            progress.done();
            writer.commit();
            writer.close();
        }
    }

    /** Deletes whatever was not committed (an error or an interruption). */
    void abandon() {
        if (writer != null) writer.close();
    }

    /** Integrated loudness of the pre-master (LUFS; -inf for silence). */
    double premasterLufs() { return premasterMeter.integratedLufs(); }
    StreamStats mixStats() { return mixStats; }
    double gainDb() { return gainDb; }
    double limiterMinGainDb() { return 20 * Math.log10(stage.limiterMinGain()); }
    AudioThumbnail picture() { return picture.finish(); }
    long clippedSamples() { return writer.clippedSamples(); }
    /**
     * The committed mix's SHA-256, taken while writing it (null: not taken, hash the file; or committed on the
     * {@link #writeBack} pool, whose {@code await} gives it).
     */
    String mixSha256() { return inStream && writeBack != null ? null : writer.sha256(); }
}
