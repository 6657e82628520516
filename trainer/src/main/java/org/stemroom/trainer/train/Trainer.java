package org.stemroom.trainer.train;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;

/**
 * The training job: epochs over a {@link SongSource}, one {@link TrainingSession} step per batch, validation
 * loss on held-out songs after every epoch, a checkpoint every epoch ({@link Checkpoint}), a loss-curve PNG and
 * the exported model ({@link ModelExport}) after every epoch, so an interrupted run leaves a usable model.
 *
 * <p>Determinism: the initial weights, the feature normalisation, each epoch's song order, which songs are taken
 * as mono, and each pool's row shuffle are all functions of (seed, epoch, pool) alone; so resuming from the
 * checkpoint of epoch {@code e} replays epochs {@code e+1...} exactly as an uninterrupted run does (same bits for
 * the same ONNX Runtime thread count).
 */
public final class Trainer {
    /** Scale of the prior's log-ratio features (see {@link #normalisation()}). */
    static final double PRIOR_LOG_SCALE = 2.0;

    /**
     * @param rows          rows (frame x channel) per step
     * @param epochs        total epochs (a resumed run continues up to this)
     * @param lr            peak Adam learning rate; cosine decay over the epochs to 5 % of it
     * @param poolSongs     songs whose rows are shuffled together (memory: about 70 MB per stereo minute)
     * @param monoFraction  fraction of training songs taken as mono masters, per epoch
     * @param stepsPerEpoch 0 = all rows of all songs; otherwise stop an epoch after this many steps
     * @param stemWeighting weigh each stem's squared error by 1 / its energy in the song and channel (floored at
     *                      5 % of the mixture's), so every stem counts as much as SI-SDR counts it: a quiet bass or
     *                      lead is not traded for the loud stems' bins
     */
    public record Options(UnmixConfig config, int rows, int epochs, long seed, double lr, int poolSongs,
                          double monoFraction, int threads, int stepsPerEpoch, int segmentFrames, boolean stemWeighting) {
        /** Without per-stem loss weights. */
        public Options(UnmixConfig config, int rows, int epochs, long seed, double lr, int poolSongs, double monoFraction,
                       int threads, int stepsPerEpoch, int segmentFrames) {
            this(config, rows, epochs, seed, lr, poolSongs, monoFraction, threads, stepsPerEpoch, segmentFrames, false);
        }

        public static Options defaults(UnmixConfig c) {
            return new Options(c, 1024, 12, 20261125L, 1e-3, 6, 0.25, 2, 0, ModelExport.SEGMENT_FRAMES);
        }
    }

    /** Per-epoch record. */
    /** Per-epoch record; the validation loss also split into the songs as rendered (stereo) and as mono masters. */
    public record EpochStats(int epoch, long steps, double trainLoss, double validLoss, double validStereo,
                             double validMono, double seconds) { }

    private final Options o;
    private final SongSource train;
    private final SongSource valid;
    private final Path out;
    private final PrintStream log;
    private final Progress progress;
    /** Model-free priors of a hybrid network, per corpus (song ids repeat between the two folders). */
    private final PriorCache trainPriors;
    private final PriorCache validPriors;

    public Trainer(Options o, SongSource train, SongSource valid, Path out, PrintStream log, Progress progress) {
        this.o = o;
        this.train = train;
        this.valid = valid;
        this.out = out;
        this.log = log;
        this.progress = progress;
        this.trainPriors = new PriorCache(out.resolve("priors").resolve("train"));
        this.validPriors = new PriorCache(out.resolve("priors").resolve("validation"));
    }

    public Path checkpointFile() { return out.resolve("checkpoint.bin"); }

    /** Trains up to {@code o.epochs()} epochs, from the checkpoint when {@code resume} and one exists. */
    public Checkpoint run(boolean resume) throws StemroomException, IOException {
        return runUntil(resume, o.epochs());
    }

    /**
     * As {@link #run} but stops after epoch {@code lastEpoch} (the learning-rate schedule still spans
     * {@code o.epochs()}): what an interrupted job leaves behind.
     */
    public Checkpoint runUntil(boolean resume, int lastEpoch) throws StemroomException, IOException {
        Files.createDirectories(out);
        if (train.size() == 0) throw new StemroomException("the training corpus has no songs");
        Checkpoint ck;
        if (resume && Files.exists(checkpointFile())) {
            ck = Checkpoint.read(checkpointFile());
            if (!ck.net.config.equals(o.config())) {
                throw new StemroomException(checkpointFile() + ": checkpoint was made for " + ck.net.config
                        + ", not " + o.config());
            }
            if (ck.seed != o.seed() || ck.rows != o.rows()) {
                throw new StemroomException(checkpointFile() + ": checkpoint was made with seed " + ck.seed + " and "
                        + ck.rows + " rows per step; resume with the same settings");
            }
            log.printf(Locale.ROOT, "resuming after epoch %d (step %d)%n", ck.epoch, ck.step);
        } else {
            float[][] norm = normalisation();
            UnmixNet net = UnmixNet.initialize(o.config(), o.seed(), norm[0], norm[1]);
            ck = new Checkpoint(net, null, null, 0, 0, o.seed(), o.rows(), new ArrayList<>(), new ArrayList<>());
            log.printf(Locale.ROOT, "new model: %s, %d parameters, %d training and %d validation songs%n",
                    o.config(), o.config().parameterCount(), train.size(), valid.size());
        }
        try (TrainingSession s = new TrainingSession(ck.net, ck.m, ck.v, ck.step, o.rows(), o.threads())) {
            for (int epoch = ck.epoch + 1; epoch <= Math.min(lastEpoch, o.epochs()); epoch++) {
                long t0 = System.nanoTime();
                double lr = learningRate(epoch);
                double[] sum = new double[2];
                List<Double> curve = new ArrayList<>(ck.stepCurve);
                runEpoch(s, epoch, lr, sum, curve);
                double trainLoss = sum[0] / Math.max(1, sum[1]);
                double[] vl = validateSplit(s);
                double validLoss = vl[0];
                double secs = (System.nanoTime() - t0) / 1e9;
                List<EpochStats> hist = new ArrayList<>(ck.history);
                hist.add(new EpochStats(epoch, (long) sum[1], trainLoss, validLoss, vl[1], vl[2], secs));
                ck = new Checkpoint(s.net(), s.moments("m"), s.moments("v"), epoch, s.step(), o.seed(), o.rows(), hist, curve);
                ck.write(checkpointFile());
                LossPlot.write(hist, curve, out.resolve("loss.png"));
                ModelExport.write(ck.net, o.segmentFrames(), out.resolve("export"), describe(ck), true);
                log.printf(Locale.ROOT, "epoch %d/%d: %d steps, lr %.2e, train loss %.5f, validation loss %.5f "
                        + "(stereo %.5f, mono %.5f), %.1f s (%.1f ms/step)%n", epoch, o.epochs(), (long) sum[1], lr,
                        trainLoss, validLoss, vl[1], vl[2], secs, 1000 * secs / Math.max(1, sum[1]));
                log.flush();
            }
        }
        return ck;
    }

    private static String describe(Checkpoint ck) {
        EpochStats last = ck.history.isEmpty() ? null : ck.history.get(ck.history.size() - 1);
        return last == null ? "untrained" : String.format(Locale.ROOT, "epoch %d, step %d, validation loss %.5f",
                last.epoch(), ck.step, last.validLoss());
    }

    double learningRate(int epoch) {
        double x = o.epochs() <= 1 ? 0 : (epoch - 1) / (double) (o.epochs() - 1);
        return o.lr() * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * x)));
    }

    private void runEpoch(TrainingSession s, int epoch, double lr, double[] sum, List<Double> curve)
            throws StemroomException {
        int n = train.size();
        int[] order = permutation(n, new SplittableRandom(mix(o.seed(), epoch, 0)));
        SplittableRandom monoRng = new SplittableRandom(mix(o.seed(), epoch, 1));
        boolean[] mono = new boolean[n];
        for (int i = 0; i < n; i++) mono[i] = monoRng.nextDouble() < o.monoFraction();
        int pools = (n + o.poolSongs() - 1) / o.poolSongs();
        TrainingSession.Batch batch = newBatch(o.config(), o.rows());
        double curveSum = 0;
        int curveN = 0;
        progress.begin("epoch " + epoch, n);
        long prepNanos = 0, stepNanos = 0;
        // the next pool is read and transformed on a worker thread while ONNX Runtime steps through this one; the
        // pools' contents do not depend on timing, so the run stays deterministic
        java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stemroom-train-loader");
            t.setDaemon(true);
            return t;
        });
        try {
        java.util.concurrent.Future<List<SongFrames>> next = loader.submit(() -> loadPool(0, n, order, mono));
        for (int p = 0; p < pools; p++) {
            long tp = System.nanoTime();
            List<SongFrames> pool = await(next);
            int np = p + 1;
            next = np < pools ? loader.submit(() -> loadPool(np, n, order, mono)) : null;
            long[] rows = rowsOf(pool);
            shuffle(rows, new SplittableRandom(mix(o.seed(), epoch, 1000 + p)));
            prepNanos += System.nanoTime() - tp;
            for (int r0 = 0; r0 + o.rows() <= rows.length; r0 += o.rows()) {
                long ts = System.nanoTime();
                for (int r = 0; r < o.rows(); r++) fillRow(pool, rows[r0 + r], batch, r);
                double loss = s.step(batch, lr);
                stepNanos += System.nanoTime() - ts;
                sum[0] += loss;
                sum[1]++;
                curveSum += loss;
                if (++curveN == 50) {
                    curve.add(curveSum / curveN);
                    if (curve.size() % 2 == 0) {
                        log.printf(Locale.ROOT, "  epoch %d step %d: loss %.5f (mean of the last 50 steps)%n", epoch,
                                s.step(), curveSum / curveN);
                        log.flush();
                    }
                    curveSum = 0;
                    curveN = 0;
                }
                if (o.stepsPerEpoch() > 0 && sum[1] >= o.stepsPerEpoch()) break;
            }
            progress.advance(pool.size());
            if (o.stepsPerEpoch() > 0 && sum[1] >= o.stepsPerEpoch()) break;
        }
        } finally {
            loader.shutdownNow();
        }
        if (curveN > 0) curve.add(curveSum / curveN);
        progress.done();
        log.printf(Locale.ROOT, "  epoch %d: %.1f s waiting for songs and STFT (read ahead on a second thread), %.1f s in %d steps (%.0f ms/step)%n", epoch,
                prepNanos / 1e9, stepNanos / 1e9, (long) sum[1], stepNanos / 1e6 / Math.max(1, sum[1]));
    }

    private List<SongFrames> loadPool(int p, int n, int[] order, boolean[] mono) throws StemroomException {
        List<SongFrames> pool = new ArrayList<>();
        for (int i = p * o.poolSongs(); i < Math.min(n, (p + 1) * o.poolSongs()); i++) {
            pool.add(SongFrames.of(o.config(), train.song(order[i]), mono[order[i]], trainPriors, o.stemWeighting()));
        }
        return pool;
    }

    private static List<SongFrames> await(java.util.concurrent.Future<List<SongFrames>> f) throws StemroomException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StemroomException("training interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StemroomException se) throw se;
            throw new StemroomException("reading training songs failed: " + e.getCause());
        }
    }

    /** Mean loss over every row of every validation song (stereo as rendered, plus each as mono). */
    double validate(TrainingSession s) throws StemroomException {
        return validateSplit(s)[0];
    }

    /** {all, as rendered, as mono} mean validation losses. */
    double[] validateSplit(TrainingSession s) throws StemroomException {
        TrainingSession.Batch batch = newBatch(o.config(), o.rows());
        double total = 0;
        long count = 0;
        double[] part = new double[2];
        long[] partN = new long[2];
        for (int i = 0; i < valid.size(); i++) {
            Song song = valid.song(i);
            for (boolean mono : new boolean[] {false, true}) {
                if (mono && song.channels() == 1) continue;
                List<SongFrames> pool = List.of(SongFrames.of(o.config(), song, mono, validPriors, o.stemWeighting()));
                long[] rows = rowsOf(pool);
                for (int r0 = 0; r0 < rows.length; r0 += o.rows()) {
                    int used = Math.min(o.rows(), rows.length - r0);
                    clear(batch);
                    for (int r = 0; r < used; r++) fillRow(pool, rows[r0 + r], batch, r);
                    // empty rows have zero mixture and target: they add nothing, so rescale by the rows used
                    double l = s.loss(batch) * used;
                    total += l;
                    count += used;
                    part[mono ? 1 : 0] += l;
                    partN[mono ? 1 : 0] += used;
                }
            }
        }
        return new double[] {count == 0 ? Double.NaN : total / count, part[0] / Math.max(1, partN[0]),
            part[1] / Math.max(1, partN[1])};
    }

    static TrainingSession.Batch newBatch(UnmixConfig c, int rows) {
        return new TrainingSession.Batch(new float[rows * c.featureSize()], new float[rows * c.stems().size() * c.bins()],
                new float[rows * c.stems().size() * c.bins()]);
    }

    private static void clear(TrainingSession.Batch b) {
        Arrays.fill(b.mags(), 0f);
        Arrays.fill(b.mix(), 0f);
        Arrays.fill(b.target(), 0f);
    }

    /** Rows packed as (song << 40) | (channel << 32) | frame. */
    static long[] rowsOf(List<SongFrames> pool) {
        int total = 0;
        for (SongFrames f : pool) total += f.channels() * f.frames();
        long[] rows = new long[total];
        int k = 0;
        for (int s = 0; s < pool.size(); s++) {
            SongFrames f = pool.get(s);
            for (int c = 0; c < f.channels(); c++) {
                for (int t = 0; t < f.frames(); t++) rows[k++] = ((long) s << 40) | ((long) c << 32) | t;
            }
        }
        return rows;
    }

    private static void fillRow(List<SongFrames> pool, long row, TrainingSession.Batch b, int r) {
        pool.get((int) (row >>> 40)).fill((int) ((row >>> 32) & 0xFF), (int) (row & 0xFFFFFFFFL), b, r);
    }

    static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static void shuffle(long[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    static long mix(long seed, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b * 0x165667B19E3779F9L;
        h ^= h >>> 31;
        return h * 0xBF58476D1CE4E5B9L;
    }

    /**
     * Per-bin mean and 1/std of {@code log(|X| + eps)} over the first training songs (up to 8, stereo as
     * rendered), the same for every magnitude feature frame. The prior's ratio frames get a fixed normalisation
     * instead, centred on an even split ({@code log(1/stems + eps)}) with a scale of {@link #PRIOR_LOG_SCALE}, so
     * they stay within about [-3, 1] whatever the recipe does: per-bin statistics of ratios the recipe hardly varies
     * on a few songs (bass far above its split) would give those bins huge gains. Fixed for the whole training and
     * baked into the export.
     */
    float[][] normalisation() throws StemroomException {
        UnmixConfig c = o.config();
        int bins = c.bins(), magFrames = c.featureFrames() - c.priorFrames();
        double[] sum = new double[bins], sq = new double[bins];
        long n = 0;
        for (int i = 0; i < Math.min(8, train.size()); i++) {
            // no prior needed for these statistics: a plain network's view of the song
            SongFrames f = SongFrames.of(c.withPrior(null), train.song(i), false);
            for (float[][] ch : f.mag) {
                for (float[] frame : ch) {
                    for (int b = 0; b < bins; b++) {
                        double v = Math.log(frame[b] + c.logEps());
                        sum[b] += v;
                        sq[b] += v * v;
                    }
                    n++;
                }
            }
        }
        float[] mean = new float[c.featureSize()], inv = new float[c.featureSize()];
        for (int b = 0; b < bins; b++) {
            double m = sum[b] / n;
            double sd = Math.sqrt(Math.max(sq[b] / n - m * m, 0)) + 1e-3;
            for (int f = 0; f < magFrames; f++) {
                mean[f * bins + b] = (float) m;
                inv[f * bins + b] = (float) (1 / sd);
            }
        }
        float priorMean = (float) Math.log(1.0 / c.stems().size() + c.logEps());
        for (int i = magFrames * bins; i < c.featureSize(); i++) {
            mean[i] = priorMean;
            inv[i] = (float) (1 / PRIOR_LOG_SCALE);
        }
        return new float[][] {mean, inv};
    }
}
