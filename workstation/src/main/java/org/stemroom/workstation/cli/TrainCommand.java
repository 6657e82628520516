package org.stemroom.workstation.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.trainer.train.Checkpoint;
import org.stemroom.trainer.train.CorpusFolder;
import org.stemroom.trainer.train.ModelExport;
import org.stemroom.trainer.train.SongSource;
import org.stemroom.trainer.train.Trainer;
import org.stemroom.trainer.train.UnmixConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stemroom train}: trains stemroom's own mask network on a corpus written by {@code stemroom dataset}, by
 * running one ONNX graph per step (forward, loss, backward, Adam). Resumable; every epoch leaves a checkpoint, a
 * loss-curve PNG and an exported model ({@code OUT/export/model.onnx} + {@code manifest.json}) ready for
 * {@code stemroom separate --model OUT/export/manifest.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train stemroom's neural separator (stemroom-unmix) on a corpus folder from 'stemroom dataset'.",
                "Writes OUT/checkpoint.bin, OUT/loss.png and OUT/export/{model.onnx,manifest.json} every epoch; "
                        + "progress lines on stderr and in OUT/train.log.",
                "Example: stemroom train --corpus corpus/train --validation corpus/held-out --out runs/unmix --epochs 12"})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--corpus", required = true, split = ",", paramLabel = "DIR",
            description = "training corpus folder(s) (corpus.json + song-*/); several, comma-separated, are trained on as one")
    List<Path> corpus;

    @Option(names = "--validation", paramLabel = "DIR",
            description = "held-out corpus folder for the validation loss (default: the last 5 %% of --corpus songs, at least 1, are held back)")
    Path validation;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run folder (checkpoint, loss.png, export/)")
    Path out;

    @Option(names = "--epochs", defaultValue = "12", description = "total epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--stop-after-epoch", defaultValue = "0", paramLabel = "K",
            description = "stop after epoch K although the learning-rate schedule spans --epochs (0: run all epochs)")
    int stopAfter;

    @Option(names = "--resume", description = "continue from OUT/checkpoint.bin (same settings) up to --epochs")
    boolean resume;

    @Option(names = "--seed", defaultValue = "20261125", description = "seed of initialisation and shuffling (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--lr", defaultValue = "1e-3", description = "peak Adam learning rate, cosine decay to 5 %% (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--rows", defaultValue = "1024", description = "rows (frame x channel) per step (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--hidden", defaultValue = "128", description = "hidden layer width (default ${DEFAULT-VALUE}: 1.59 M parameters, 2.12 M with --prior)")
    int hidden;

    @Option(names = "--prior", paramLabel = "RECIPE",
            description = "train a hybrid network that refines this model-free recipe's stem ratios (modelfree-fast-220: today's "
                    + "220 Hz bass split; modelfree-fast: the 280 Hz one the first hybrid was trained on); "
                    + "default: none, a plain magnitude network")
    String prior;

    @Option(names = "--stem-weighting",
            description = "weigh each stem's error by 1 / its energy in the song (as SI-SDR weighs stems) instead of "
                    + "the plain phase-sensitive error of the mixture's bins")
    boolean stemWeighting;

    @Option(names = "--context", split = ",", paramLabel = "OFFSET",
            description = "frame offsets of the own-channel context (default -6,-3,-1,0,1,3,6; must include 0)")
    int[] context;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--pool-songs", defaultValue = "6", description = "songs whose frames are shuffled together (default ${DEFAULT-VALUE})")
    int poolSongs;

    @Option(names = "--mono-fraction", defaultValue = "0.25", description = "share of songs taken as mono masters per epoch (default ${DEFAULT-VALUE})")
    double monoFraction;

    @Option(names = "--steps-per-epoch", defaultValue = "0", description = "cut each epoch after this many steps (0: whole corpus)")
    int stepsPerEpoch;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || rows < 8 || hidden < 4 || threads < 1 || poolSongs < 1 || !(lr > 0)
                || monoFraction < 0 || monoFraction > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "need --epochs >= 1, --rows >= 8, --hidden >= 4, --threads >= 1, --pool-songs >= 1, --lr > 0, "
                            + "--mono-fraction in 0..1");
        }
        UnmixConfig std = UnmixConfig.standard();
        int[] ctx = context != null ? context : std.contextOffsets();
        if (java.util.Arrays.stream(ctx).noneMatch(x -> x == 0) || java.util.Arrays.stream(ctx).anyMatch(x -> Math.abs(x) > 64)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--context must include 0 and stay within -64..64");
        }
        if (prior != null && !org.stemroom.separation.onnx.ModelFreePrior.RECIPES.contains(prior)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--prior must be one of "
                    + String.join(", ", org.stemroom.separation.onnx.ModelFreePrior.RECIPES));
        }
        UnmixConfig c = new UnmixConfig(std.sampleRate(), std.nFft(), std.hop(), ctx, hidden, std.stems(), std.logEps(), prior);
        List<SongSource> parts = new java.util.ArrayList<>();
        for (Path p : corpus) parts.add(CorpusFolder.open(p, c.stems(), c.sampleRate()));
        SongSource all = SongSource.concat(parts);
        SongSource train = all;
        SongSource valid;
        if (validation != null) {
            valid = CorpusFolder.open(validation, c.stems(), c.sampleRate());
        } else {
            if (all.size() < 2) throw new StemroomException(corpus + ": need at least 2 songs to hold one back for validation");
            int hold = Math.max(1, all.size() / 20);
            train = SongSource.range(all, 0, all.size() - hold);
            valid = SongSource.range(all, all.size() - hold, all.size());
        }
        Trainer.Options o = new Trainer.Options(c, rows, epochs, seed, lr, poolSongs, monoFraction, threads,
                stepsPerEpoch, ModelExport.SEGMENT_FRAMES, stemWeighting);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = ProgressBar.forTerminal(err, quiet);
        java.nio.file.Files.createDirectories(out);
        long t0 = System.nanoTime();
        Checkpoint ck;
        // log lines go to stderr and, appended, to OUT/train.log (a background run's record)
        try (PrintStream file = new PrintStream(java.nio.file.Files.newOutputStream(out.resolve("train.log"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true, "UTF-8");
             PrintStream log = new PrintStream(new Tee(System.err, file), true, "UTF-8")) {
            Trainer t = new Trainer(o, train, valid, out, log, progress);
            ck = stopAfter > 0 ? t.runUntil(resume, stopAfter) : t.run(resume);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "trained %d epochs (%d steps) in %.0f s this run; model: %s%n", ck.epoch, ck.step, secs,
                out.resolve("export").resolve("manifest.json"));
        w.printf(Locale.ROOT, "to ship it: cp %s/export/{model.onnx,manifest.json} %s/%n", out, ModelExport.SOURCE_DIR);
        w.flush();
        return 0;
    }

    /** Writes to two streams; closing it closes neither (the caller closes the file, stderr stays open). */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }

        @Override
        public void close() throws java.io.IOException {
            flush();
        }
    }
}
