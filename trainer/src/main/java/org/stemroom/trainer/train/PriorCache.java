package org.stemroom.trainer.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.separation.Separation;
import org.stemroom.separation.StemSet;
import org.stemroom.separation.onnx.ModelFreePrior;

/**
 * The model-free prior of each training song ({@link ModelFreePrior}), computed once and kept on disk: running
 * the recipe costs about as much CPU as a training step's share of a song, every epoch. The recipe runs through
 * {@link Separation} on its own window grid, exactly as the hybrid separator's windows see it. One file per song
 * and mono/stereo variant, named by the song id and the recipe, one byte per ratio; written atomically, so an
 * interrupted run never leaves a torn file. A null folder computes without caching (tests).
 */
public final class PriorCache {
    private static final String MAGIC = "stemroom-prior";
    private final Path dir;

    public PriorCache(Path dir) {
        this.dir = dir;
    }

    /** Ratios [channel][stem][frame][bin] of {@code mix} (the song's mixture, or its mono downmix). */
    public byte[][][][] get(UnmixConfig c, String songId, float[][] mix, int frames) throws StemroomException {
        Path f = dir == null ? null : dir.resolve(songId + "-" + (mix.length == 1 ? "mono" : "stereo") + "-" + c.prior()
                + "-" + c.nFft() + "-" + c.hop() + ".prior");
        if (f != null && Files.isRegularFile(f)) {
            byte[][][][] q = read(f);
            if (q.length == mix.length && q[0].length == c.stems().size() && q[0][0].length == frames
                    && q[0][0][0].length == c.bins()) {
                return q;
            }
        }
        AudioClip clip = new AudioClip(AudioFormat.of(c.sampleRate(), mix.length), mix);
        byte[][][][] q;
        if (ModelFreePrior.fromMasks(c.prior())) {
            q = new ModelFreePrior.MaskSampler(c.prior(), c.stems(), c.nFft(), c.hop()).song(clip, frames);
        } else {
            StemSet stems = new Separation(ModelFreePrior.recipe(c.prior())).separate(clip, Progress.NONE);
            q = ModelFreePrior.ratios(stems, c.stems(), c.nFft(), c.hop());
        }
        if (q[0][0].length != frames) {
            throw new StemroomException(songId + ": prior has " + q[0][0].length + " frames, the mixture " + frames);
        }
        if (f != null) write(f, q);
        return q;
    }

    private static void write(Path f, byte[][][][] q) throws StemroomException {
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), "." + f.getFileName(), ".tmp");
            try {
                try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                    o.writeUTF(MAGIC);
                    o.writeInt(q.length);
                    o.writeInt(q[0].length);
                    o.writeInt(q[0][0].length);
                    o.writeInt(q[0][0][0].length);
                    for (byte[][][] ch : q) for (byte[][] st : ch) for (byte[] fr : st) o.write(fr);
                }
                org.stemroom.core.io.AtomicFiles.replace(tmp, f);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new StemroomException(f + ": cannot write the prior cache: " + e.getMessage());
        }
    }

    private static byte[][][][] read(Path f) throws StemroomException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 20))) {
            if (!MAGIC.equals(in.readUTF())) throw new StemroomException(f + ": not a prior cache file");
            int ch = in.readInt(), st = in.readInt(), frames = in.readInt(), bins = in.readInt();
            if (ch < 1 || ch > 2 || st < 1 || st > 64 || frames < 0 || bins < 1 || (long) ch * st * frames * bins > 1L << 31) {
                throw new StemroomException(f + ": bad prior cache header");
            }
            byte[][][][] q = new byte[ch][st][frames][bins];
            for (byte[][][] c : q) for (byte[][] s : c) for (byte[] fr : s) in.readFully(fr);
            return q;
        } catch (IOException e) {
            throw new StemroomException(f + ": unreadable prior cache: " + e.getMessage());
        }
    }
}
