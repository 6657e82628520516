package org.stemroom.trainer.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.StemroomException;

/**
 * Everything a resumed run needs, written atomically after every epoch: the network (configuration, feature
 * normalisation, parameters), Adam's moments and step count, the seed and batch size, and the loss history.
 * Binary, big-endian (DataOutputStream), versioned.
 */
public final class Checkpoint {
    private static final String MAGIC = "stemroom-unmix-checkpoint";
    /** 2 added the prior recipe (empty string: none); version 1 files still read. */
    private static final int VERSION = 2;

    public final UnmixNet net;
    /** Adam moments by parameter name; null before the first step. */
    public final Map<String, float[]> m;
    public final Map<String, float[]> v;
    public final int epoch;
    public final long step;
    public final long seed;
    public final int rows;
    public final List<Trainer.EpochStats> history;
    /** Mean training loss of every 50 steps. */
    public final List<Double> stepCurve;

    public Checkpoint(UnmixNet net, Map<String, float[]> m, Map<String, float[]> v, int epoch, long step, long seed,
                      int rows, List<Trainer.EpochStats> history, List<Double> stepCurve) {
        this.net = net;
        this.m = m;
        this.v = v;
        this.epoch = epoch;
        this.step = step;
        this.seed = seed;
        this.rows = rows;
        this.history = history;
        this.stepCurve = stepCurve;
    }

    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                o.writeUTF(MAGIC);
                o.writeInt(VERSION);
                UnmixConfig c = net.config;
                o.writeInt(c.sampleRate());
                o.writeInt(c.nFft());
                o.writeInt(c.hop());
                o.writeInt(c.contextOffsets().length);
                for (int x : c.contextOffsets()) o.writeInt(x);
                o.writeInt(c.hidden());
                o.writeInt(c.stems().size());
                for (String s : c.stems()) o.writeUTF(s);
                o.writeDouble(c.logEps());
                o.writeUTF(c.prior() == null ? "" : c.prior());
                o.writeInt(epoch);
                o.writeLong(step);
                o.writeLong(seed);
                o.writeInt(rows);
                floats(o, net.featMean);
                floats(o, net.featInvStd);
                for (UnmixConfig.ParamSpec p : c.params()) {
                    floats(o, net.params.get(p.name()));
                    floats(o, m == null ? new float[p.size()] : m.get(p.name()));
                    floats(o, v == null ? new float[p.size()] : v.get(p.name()));
                }
                o.writeInt(history.size());
                for (Trainer.EpochStats e : history) {
                    o.writeInt(e.epoch());
                    o.writeLong(e.steps());
                    o.writeDouble(e.trainLoss());
                    o.writeDouble(e.validLoss());
                    o.writeDouble(e.validStereo());
                    o.writeDouble(e.validMono());
                    o.writeDouble(e.seconds());
                }
                o.writeInt(stepCurve.size());
                for (double d : stepCurve) o.writeDouble(d);
            }
            org.stemroom.core.io.AtomicFiles.replace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Checkpoint read(Path file) throws StemroomException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) throw new StemroomException(file + ": not a stemroom training checkpoint");
            int version = in.readInt();
            if (version != VERSION && version != 1) throw new StemroomException(file + ": checkpoint version " + version + " unsupported");
            int rate = in.readInt(), nFft = in.readInt(), hop = in.readInt();
            int[] ctx = new int[in.readInt()];
            for (int i = 0; i < ctx.length; i++) ctx[i] = in.readInt();
            int hidden = in.readInt();
            List<String> stems = new ArrayList<>();
            int ns = in.readInt();
            for (int i = 0; i < ns; i++) stems.add(in.readUTF());
            double eps = in.readDouble();
            String prior = version >= 2 ? in.readUTF() : "";
            UnmixConfig c = new UnmixConfig(rate, nFft, hop, ctx, hidden, List.copyOf(stems), eps,
                    prior.isEmpty() ? null : prior);
            int epoch = in.readInt();
            long step = in.readLong(), seed = in.readLong();
            int rows = in.readInt();
            float[] mean = floats(in), inv = floats(in);
            Map<String, float[]> p = new LinkedHashMap<>(), m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
            for (UnmixConfig.ParamSpec s : c.params()) {
                p.put(s.name(), floats(in));
                m.put(s.name(), floats(in));
                v.put(s.name(), floats(in));
            }
            List<Trainer.EpochStats> hist = new ArrayList<>();
            int nh = in.readInt();
            for (int i = 0; i < nh; i++) {
                hist.add(new Trainer.EpochStats(in.readInt(), in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble()));
            }
            List<Double> curve = new ArrayList<>();
            int nc = in.readInt();
            for (int i = 0; i < nc; i++) curve.add(in.readDouble());
            return new Checkpoint(new UnmixNet(c, p, mean, inv), m, v, epoch, step, seed, rows, hist, curve);
        } catch (IOException | IllegalArgumentException e) {
            throw new StemroomException(file + ": unreadable checkpoint: " + e.getMessage());
        }
    }

    private static void floats(DataOutputStream o, float[] a) throws IOException {
        o.writeInt(a.length);
        for (float f : a) o.writeFloat(f);
    }

    private static float[] floats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) throw new IOException("bad tensor length " + n);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = in.readFloat();
        return a;
    }
}
