package org.stemroom.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;

/**
 * Writes a WAV file safely: samples go to a hidden temporary file in the target's folder, and only
 * {@link #commit()} renames it atomically onto the target. Closing without a commit (an exception, an
 * interrupted render) deletes the temporary file, so a failed render leaves nothing behind and never
 * half-overwrites an existing file. A target that is one of the inputs is refused.
 *
 * <p>Header: WAVE_FORMAT_EXTENSIBLE (with the layout's channel mask, e.g. 5.1 = 0x3F, 7.1 = 0x63F) whenever the
 * file has more than two channels, more than 16 bits or float samples; plain PCM otherwise. A 28-byte JUNK chunk
 * reserved up front becomes a ds64 chunk when the file outgrows the 32-bit RIFF sizes, and the file becomes RF64.
 *
 * <p>Reduction to 16 or 24 bits adds TPDF dither of ±1 LSB peak from a seeded generator, so the same input gives
 * the same bits; {@link Options#dither(boolean)} turns it off. Samples beyond full scale are clipped and counted
 * ({@link #clippedSamples()}). A NaN or infinite sample is an error: nothing is written.
 */
public final class AudioFileWriter implements AutoCloseable {
    /** Default dither seed: any fixed value works; fixed so that renders are bit-identical run to run. */
    public static final long DEFAULT_DITHER_SEED = 0x5EED_57E3_0000_0001L;
    static final long RIFF_LIMIT = 0xFFFFFFFFL;
    private static final int JUNK_OFFSET = 12;
    private static final int DS64_BODY = 28;
    private static final int MAX_IO_BYTES = 1 << 18;
    /** Bytes the encode buffer holds beyond its last frame (the 4-byte store of the last 24-bit sample). */
    private static final int SLACK = 1;

    /** Writer settings. */
    public static final class Options {
        private boolean dither = true;
        private long ditherSeed = DEFAULT_DITHER_SEED;
        private final Set<Path> inputs = new LinkedHashSet<>();
        private long riffLimit = RIFF_LIMIT;
        private long checksumFrames = -1;
        private boolean pastPageCache;

        public static Options defaults() { return new Options(); }

        /**
         * The file will hold exactly {@code frames} frames: its header is written final up front, so the writer can
         * take the file's SHA-256 from the bytes as it writes them ({@link #sha256()}) instead of the caller reading
         * the whole file back. If a different number of frames is written, the header is finished as usual at
         * {@link #commit()} and there is no checksum (null): the file's bytes never depend on this setting.
         */
        public Options checksumFor(long frames) {
            if (frames < 0) throw new IllegalArgumentException("negative frame count " + frames);
            this.checksumFrames = frames;
            return this;
        }

        /**
         * Writes the file's samples to the disk directly (O_DIRECT), in whole aligned stretches of about a megabyte,
         * instead of through the kernel's page cache, where the folder's file system allows it (otherwise, and for
         * the unaligned head and tail, as usual): for large outputs that nothing reads back while the process runs.
         * Why: each byte written through the page cache is copied into a page of the cache, and on a virtual machine
         * whose freed memory goes back to its host (free page reporting) those pages are fresh, faulted in by the
         * copy: a render's placing thread spent 0.5-1.6 CPU-s of kernel time in that copy for its ~500 MB (session
         * 24's perf). The file's bytes are the same either way.
         */
        public Options pastPageCache(boolean on) { this.pastPageCache = on; return this; }

        /** TPDF dither when reducing to 16 or 24 bits (default on). */
        public Options dither(boolean on) { this.dither = on; return this; }

        public Options ditherSeed(long seed) { this.ditherSeed = seed; return this; }

        /** Files the target must not be (the inputs of the render). */
        public Options inputsNotToOverwrite(Collection<Path> paths) { inputs.addAll(paths); return this; }

        /** For tests: the RIFF size above which the file becomes RF64 (normally 2^32 - 1). */
        Options riffLimit(long bytes) { this.riffLimit = bytes; return this; }

        long riffLimit() { return riffLimit; }

        public boolean dither() { return dither; }
        public long ditherSeed() { return ditherSeed; }
        public Set<Path> inputsNotToOverwrite() { return Set.copyOf(inputs); }
    }

    private static final Set<Path> LIVE_TEMPS = ConcurrentHashMap.newKeySet();
    private static final java.util.concurrent.atomic.AtomicLong TEMP_COUNTER = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The shutdown hook that deletes {@link #LIVE_TEMPS}, registered only while some temporary file is live (guarded by
     * the class's lock): a registered hook is a thread that {@code System.exit} starts and waits for even when every
     * output was committed (the end of a one-minute convolve: 10-20 ms of wall at load 13).
     */
    private static Thread cleanupHook;
    /** {@link #processId()}, once read. */
    private static volatile String processId;

    /**
     * This process's id (for the names of temporary files and folders), read once. On Linux from the /proc/self
     * link: ProcessHandle's implementation uses lambdas, and a command's first lambda bootstraps invokedynamic (spun
     * classes, about 20-30 ms of CPU at start, measured in a bare JVM); elsewhere from ProcessHandle.
     */
    public static String processId() {
        String id = processId;
        if (id == null) {
            try {
                id = Files.readSymbolicLink(Path.of("/proc/self")).toString();
                Long.parseLong(id);
            } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
                id = Long.toString(ProcessHandle.current().pid());
            }
            processId = id;
        }
        return id;
    }

    private final Path target;
    private final Path temp;
    private final AudioFormat format;
    private final SampleFormat sampleFormat;
    private final Options options;
    private final FileChannel out;
    /** The same file opened for direct writes ({@link Options#pastPageCache}); null when not written that way. */
    private FileChannel direct;
    /**
     * Direct writes: the file's bytes from {@link #stagedAt} on, not written yet (an aligned buffer; the encoder
     * writes into it); {@code staged} of them. Null without direct writes.
     */
    private ByteBuffer stage;
    private int staged;
    private long stagedAt;
    /** Bytes that went to the disk directly (tests). */
    private long directBytes;
    private final int blockAlign;
    private final long dataOffset;
    private final long factOffset; // -1 when there is no fact chunk
    private ByteBuffer io = ByteBuffer.allocate(0);
    private int[] bits = new int[0];
    /** Per channel, how many leading frames of its slots in {@link #bits} are known to hold +0. */
    private final int[] zeroFrames;
    private long frames;
    private long clipped;
    private int peakBits;
    private long rngState;
    private boolean committed;
    private boolean closed;
    private boolean failed;
    /** The file's bytes so far (header final for {@link Options#checksumFor}); null when not checksumming. */
    private java.security.MessageDigest digest;
    private String sha256;

    private AudioFileWriter(Path target, AudioFormat format, SampleFormat sampleFormat, Options options)
            throws IOException {
        this.target = target;
        this.format = format;
        this.sampleFormat = sampleFormat;
        this.options = options;
        this.zeroFrames = new int[format.channels()];
        this.blockAlign = format.channels() * sampleFormat.bytes();
        this.rngState = options.ditherSeed;
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw AudioFileException.of(target, "cannot write: folder " + dir + " does not exist");
        }
        if (Files.isDirectory(target)) throw AudioFileException.of(target, "cannot write: is a directory");
        checkNotAnInput();
        FileChannel ch = null;
        Path tmp = null;
        // A hidden name of our own, created exclusively (CREATE_NEW), rather than Files.createTempFile: its random
        // names come from SecureRandom, whose provider set-up costs about 50 ms of start-up in every command.
        // The process id and a counter make the name unique; a leftover from a crashed run is stepped over.
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + target.getFileName() + "." + processId() + "-"
                    + TEMP_COUNTER.incrementAndGet() + ".part");
            try {
                ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 1000) {
                    throw AudioFileException.of(target, "cannot create a temporary file in " + dir + ": " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw AudioFileException.of(target, "cannot create a temporary file in " + dir + ": " + e.getMessage(), e);
            }
        }
        temp = tmp;
        registerTemp(temp);
        try {
            ByteBuffer h = header(format, sampleFormat);
            this.factOffset = factOffsetIn(h);
            this.dataOffset = h.limit();
            if (options.checksumFrames >= 0) {
                finish(h, options.checksumFrames);
                digest = sha256Digest();
                digest.update(h.duplicate());
            }
            FileChannel d = options.pastPageCache ? DirectWrites.open(tmp) : null;
            if (d != null) {
                // the header goes out with the first stretch of samples (rewritten at commit as usual)
                direct = d;
                int bytes = DirectWrites.STRETCH + MAX_IO_BYTES + 2 * DirectWrites.ALIGN + SLACK;
                stage = ByteBuffer.allocateDirect(bytes).alignedSlice(DirectWrites.ALIGN).order(ByteOrder.LITTLE_ENDIAN);
                stage.put(0, h, 0, h.limit());
                staged = h.limit();
            } else {
                while (h.hasRemaining()) ch.write(h);
            }
        } catch (IOException e) {
            if (ch != null) AudioFileReader.closeQuietly(ch);
            deleteTemp();
            throw AudioFileException.of(target, "cannot write: " + e.getMessage(), e);
        }
        this.out = ch;
    }

    /** A writer with dither on and no inputs to protect. */
    public static AudioFileWriter create(Path target, AudioFormat format, SampleFormat sampleFormat) throws IOException {
        return create(target, format, sampleFormat, Options.defaults());
    }

    /** A writer that refuses to replace any of {@code inputsNotToOverwrite}. */
    public static AudioFileWriter create(Path target, AudioFormat format, SampleFormat sampleFormat,
            Set<Path> inputsNotToOverwrite) throws IOException {
        return create(target, format, sampleFormat, Options.defaults().inputsNotToOverwrite(inputsNotToOverwrite));
    }

    public static AudioFileWriter create(Path target, AudioFormat format, SampleFormat sampleFormat, Options options)
            throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sampleFormat, "sampleFormat");
        return new AudioFileWriter(target, format, sampleFormat, options == null ? Options.defaults() : options);
    }

    public Path target() { return target; }
    public AudioFormat format() { return format; }
    public SampleFormat sampleFormat() { return sampleFormat; }
    public long framesWritten() { return frames; }

    /** Samples whose magnitude exceeded full scale (1.0) and were clipped; always 0 for float formats. */
    public long clippedSamples() { return clipped; }

    /**
     * The SHA-256 of the committed file (lower-case hex), taken while writing: set by {@link #commit()} when the
     * writer was created with {@link Options#checksumFor} and exactly that many frames were written, else null.
     */
    public String sha256() { return sha256; }

    /** Largest magnitude among the samples written so far, before quantization (0 before the first write). */
    public float peak() { return Float.intBitsToFloat(peakBits); }

    /** Appends {@code buf.frames()} frames. The buffer's channel count must match the format's. */
    public void write(AudioBuffer buf) throws IOException {
        if (committed || closed) throw new IllegalStateException("writer for " + target + " is already closed");
        if (failed) throw AudioFileException.of(target, "an earlier write failed; nothing will be written");
        if (buf.channels() != format.channels()) {
            throw new IllegalArgumentException("buffer has " + buf.channels() + " channels, " + target + " is "
                    + format.channels() + "-channel");
        }
        int n = buf.frames();
        if (n == 0) return;
        float[][] d = buf.data();
        int chunk = Math.min(n, Math.max(1, MAX_IO_BYTES / blockAlign));
        if (stage == null && io.capacity() < chunk * blockAlign + SLACK) {
            io = ByteBuffer.allocateDirect(chunk * blockAlign + SLACK).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (int at = 0; at < n; at += chunk) {
            int k = Math.min(chunk, n - at);
            // direct writes: encoded in place behind what the stage holds (a slice starts at its index 0)
            ByteBuffer a = stage == null ? io
                    : stage.slice(staged, k * blockAlign + SLACK).order(ByteOrder.LITTLE_ENDIAN);
            // the encoder checks finiteness on the way (one pass over the samples, not two); a bad sample fails the
            // whole file before its chunk reaches the disk, and close() deletes what earlier chunks wrote
            a.clear();
            if (encode(d, at, k, a) < 0) {
                failed = true;
                throw nonFinite(d, n);
            }
            a.limit(k * blockAlign);
            if (digest != null) {
                digest.update(a);
                a.position(0);
            }
            try {
                if (stage == null) {
                    while (a.hasRemaining()) out.write(a);
                } else {
                    staged += k * blockAlign;
                    if (staged >= DirectWrites.STRETCH) writeStaged(false);
                }
            } catch (IOException e) {
                failed = true;
                throw AudioFileException.of(target, "write failed: " + e.getMessage(), e);
            }
        }
        frames += n;
    }

    /**
     * Writes the stage's whole aligned blocks to the disk directly and keeps the rest (less than a block) at its
     * start; with {@code all} (at the commit) the rest through the page cache too. A file system that takes the
     * direct open but refuses a direct write gets the same bytes through the page cache, and the rest of the file
     * too.
     */
    private void writeStaged(boolean all) throws IOException {
        int whole = staged - staged % DirectWrites.ALIGN;
        ByteBuffer b = stage.duplicate().position(0).limit(whole);
        if (direct != null && whole > 0) {
            try {
                long p = stagedAt;
                while (b.hasRemaining()) p += direct.write(b, p);
                directBytes += whole;
            } catch (IOException e) {
                AudioFileReader.closeQuietly(direct);
                direct = null;
                b.position(0);
            }
        }
        if (b.hasRemaining()) putAt(b, stagedAt);
        if (all) {
            putAt(stage.duplicate().position(whole).limit(staged), stagedAt + whole);
            whole = staged;
        }
        stage.put(0, stage, whole, staged - whole);
        stagedAt += whole;
        staged -= whole;
    }

    /**
     * Forces the samples written so far to the disk ({@code FileChannel.force(false)}), for a writing thread that
     * calls it every few MB ({@link WriteBehind}): {@link #commit()} still forces the file before its rename, but
     * then only the last stretch and the header are left to wait for. Another thread may call it while the writing
     * thread writes (a render's commit pool does), never while {@link #commit()} or {@link #close()} runs.
     */
    public void syncWritten() throws IOException {
        if (committed || closed || failed) return;
        try {
            out.force(false);
        } catch (IOException e) {
            failed = true;
            throw AudioFileException.of(target, "write failed: " + e.getMessage(), e);
        }
    }

    /** Bytes of the file that went to the disk by direct writes so far ({@link Options#pastPageCache}; tests). */
    long directBytes() {
        return directBytes;
    }

    /** Bytes of sample data written so far. */
    public long bytesWritten() {
        return frames * blockAlign;
    }

    /** The float encoder's staging array, grown to {@code samples} ints (once per writer in practice). */
    private int[] floatBits(int samples) {
        if (bits.length < samples) {
            bits = new int[samples];
            Arrays.fill(zeroFrames, samples / zeroFrames.length);
        }
        return bits;
    }

    /** The first NaN or infinite sample of the buffer, channel by channel, as the error to report. */
    private AudioFileException nonFinite(float[][] d, int n) {
        for (int c = 0; c < d.length; c++) {
            float[] x = d[c];
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(x[i])) {
                    return AudioFileException.of(target, (Float.isNaN(x[i]) ? "NaN" : "infinite") + " sample at frame "
                            + (frames + i) + ", channel " + (c + 1) + " (nothing was written)");
                }
            }
        }
        throw new IllegalStateException("no non-finite sample found");
    }

    /**
     * Encodes frames {@code from..from+n-1} into {@code a}, counts clipped samples and raises the peak; returns a
     * negative number when some sample is NaN or infinite (its exponent bits all ones: adding one exponent step
     * then carries into the sign bit, which the OR keeps).
     *
     * <p>The integer and double formats go {@value #FRAMES_PER_PASS} frames per call of their encoder, which carries
     * the peak, the clip count and the dither state in fields from pass to pass (the same samples in the same order,
     * so the same bytes and the same sequence). Why passes: a call encodes up to 256 KB (some 14,000 frames of
     * 24-bit 5.1), so a frame loop here turned tens of thousands of times a call, and C2 compiled this method
     * on-stack, once per format's loop, and then whole again (the bench render's compile log); a loop of
     * {@value #FRAMES_PER_PASS} frames called many times is compiled whole once, small.
     */
    private int encode(float[][] d, int from, int n, ByteBuffer a) {
        int ch = d.length;
        int bad = 0;
        passPeak = peakBits; // |sample| compared as bits: for finite floats the order of the bits is the order of the values
        passClipped = 0;
        int frameBytes = ch * sampleFormat.bytes();
        switch (sampleFormat) {
            case PCM_16:
            case PCM_24:
                for (int i = 0; i < n; i += FRAMES_PER_PASS) {
                    bad |= encodePcm(d, from + i, Math.min(FRAMES_PER_PASS, n - i), a, i * frameBytes);
                }
                break;
            case PCM_32:
                for (int i = 0; i < n; i += FRAMES_PER_PASS) {
                    bad |= encodePcm32(d, from + i, Math.min(FRAMES_PER_PASS, n - i), a, i * frameBytes);
                }
                break;
            case FLOAT_32: {
                // channel by channel into an int array in file order, then one bulk copy into the (little-endian)
                // buffer (the renders' stems are float files: this is most of the bytes a render writes). A
                // ByteBuffer.putInt per sample is a virtual call that C1, which short upmixes run on, does not
                // inline (measured, 1 minute of 5.1: 66-71 -> 38-45 ms on C1, 41 -> 45 ms on C2, warm-up included).
                // Not byte-array VarHandles either: same code once compiled, but ~40 ms of start-up.
                // a NaN or infinity makes a channel's largest magnitude bits >= 0x7F800000: bad's sign bit as above
                int[] s = floatBits(n * ch);
                int peak = passPeak;
                for (int c = 0; c < ch; c++) {
                    // a channel of +0 whose slots already hold +0 is not stored again: a placed stem's speakers
                    // that its placement does not feed are a third of the bench render's float samples (its peak
                    // is 0 and its finiteness given; docs/render-speed-history.md, session 32)
                    boolean zero = AudioBuffer.isPositiveZero(d[c], from, from + n);
                    if (zero && zeroFrames[c] >= n) continue;
                    int m = FloatWords.fromFloats(d[c], from, n, s, c, ch);
                    zeroFrames[c] = zero ? n : 0;
                    bad |= (m & 0x7F800000) + 0x00800000;
                    peak = Math.max(peak, m);
                }
                passPeak = peak;
                a.asIntBuffer().put(s, 0, n * ch);
                break;
            }
            case FLOAT_64:
                for (int i = 0; i < n; i += FRAMES_PER_PASS) {
                    bad |= encodeDouble(d, from + i, Math.min(FRAMES_PER_PASS, n - i), a, i * frameBytes);
                }
                break;
            default:
                throw new IllegalStateException(sampleFormat.toString());
        }
        if (bad >= 0) {
            peakBits = passPeak;
            clipped += passClipped;
        }
        return bad;
    }

    /** Frames per call of {@link #encodePcm}, {@link #encodePcm32} and {@link #encodeDouble} (see {@link #encode}). */
    private static final int FRAMES_PER_PASS = 256;

    /** {@link #encode}'s peak bits and clipped samples so far in the chunk it encodes, carried from pass to pass. */
    private int passPeak;
    private long passClipped;

    /**
     * 16- or 24-bit PCM of frames {@code from..from+n-1} into {@code a} from byte {@code p} on, frame by frame (the
     * dither sequence runs in file order); returns the finiteness test's bits as {@link #encode} does.
     */
    private int encodePcm(float[][] d, int from, int n, ByteBuffer a, int p) {
        int ch = d.length;
        int bad = 0;
        int peak = passPeak;
        long clip = 0;
        int bytes = sampleFormat.bytes();
        boolean pcm16 = sampleFormat == SampleFormat.PCM_16;
        float scale = pcm16 ? 32768f : 8388608f;
        int max = (int) scale - 1;
        int min = -(int) scale;
        boolean dither = options.dither;
        // the dither generator's state in a local for the pass (the same sequence as one tpdf() call per sample,
        // which kept it in the field: a load and a store per sample)
        long rng = rngState;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++, p += bytes) {
                float s = d[c][from + i];
                int b = Float.floatToRawIntBits(s);
                bad |= (b & 0x7F800000) + 0x00800000;
                peak = Math.max(peak, b & 0x7FFFFFFF);
                if (s > 1f || s < -1f) clip++;
                float x = s * scale;
                if (dither) x += triangular(rng += DITHER_GAMMA);
                int v = (int) Math.floor(x + 0.5f);
                if (v > max) v = max;
                else if (v < min) v = min;
                // 24-bit: a 4-byte store whose top byte the next sample (or the slack) overwrites
                if (pcm16) a.putShort(p, (short) v);
                else a.putInt(p, v);
            }
        }
        rngState = rng;
        passPeak = peak;
        passClipped += clip;
        return bad;
    }

    /** 32-bit PCM of frames {@code from..from+n-1} into {@code a} from byte {@code p} on (as {@link #encodePcm}). */
    private int encodePcm32(float[][] d, int from, int n, ByteBuffer a, int p) {
        int ch = d.length;
        int bad = 0;
        int peak = passPeak;
        long clip = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++, p += 4) {
                float s = d[c][from + i];
                int b = Float.floatToRawIntBits(s);
                bad |= (b & 0x7F800000) + 0x00800000;
                peak = Math.max(peak, b & 0x7FFFFFFF);
                if (s > 1f || s < -1f) clip++;
                long v = Math.round(s * 2147483648.0);
                if (v > Integer.MAX_VALUE) v = Integer.MAX_VALUE;
                else if (v < Integer.MIN_VALUE) v = Integer.MIN_VALUE;
                a.putInt(p, (int) v);
            }
        }
        passPeak = peak;
        passClipped += clip;
        return bad;
    }

    /** 64-bit float of frames {@code from..from+n-1} into {@code a} from byte {@code p} on (as {@link #encodePcm}). */
    private int encodeDouble(float[][] d, int from, int n, ByteBuffer a, int p) {
        int ch = d.length;
        int bad = 0;
        int peak = passPeak;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < ch; c++, p += 8) {
                float s = d[c][from + i];
                int b = Float.floatToRawIntBits(s);
                bad |= (b & 0x7F800000) + 0x00800000;
                peak = Math.max(peak, b & 0x7FFFFFFF);
                a.putLong(p, Double.doubleToRawLongBits(s));
            }
        }
        passPeak = peak;
        return bad;
    }

    /** SplitMix64's step: the dither generator's state advances by this once per sample. */
    static final long DITHER_GAMMA = 0x9E3779B97F4A7C15L;

    /**
     * Triangular noise in (-1, 1) LSB from the SplitMix64 state {@code state} (already advanced): the difference of
     * two uniform variates, the state's mix's top 24 bits and its bottom 24 bits, each times 2^-24. Taken as one
     * integer difference and one conversion: both variates are exact floats (24-bit integers times a power of two)
     * and so is their difference (a multiple of 2^-24 under 1 in magnitude), so {@code (hi - lo) * 2^-24} is the
     * float {@code u1 - u2} to the bit, zero's sign included (+0 both ways), with one int-to-float conversion where
     * there were two long-to-float ones and a float subtraction.
     */
    static float triangular(long state) {
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (float) ((int) (z >>> 40) - (int) (z & 0xFFFFFF)) * 0x1p-24f;
    }

    /** Finishes the header and renames the file onto the target atomically. */
    public void commit() throws IOException {
        if (committed) return;
        if (closed) throw new IllegalStateException("writer for " + target + " is already closed");
        if (failed) throw AudioFileException.of(target, "an earlier write failed; nothing was written");
        checkNotAnInput();
        try {
            if (stage != null) writeStaged(true);
            long dataBytes = frames * blockAlign;
            if ((dataBytes & 1) != 0) {
                ByteBuffer pad = ByteBuffer.allocate(1);
                if (digest != null) digest.update(pad.duplicate());
                while (pad.hasRemaining()) out.write(pad, dataOffset + dataBytes);
            }
            // The whole header again with the final sizes: the bytes that do not depend on the length are the ones
            // written at creation, so the file is the same whichever way it was begun.
            ByteBuffer h = header(format, sampleFormat);
            finish(h, frames);
            putAt(h, 0);
            if (digest != null && frames == options.checksumFrames) {
                sha256 = java.util.HexFormat.of().formatHex(digest.digest());
            }
            digest = null;
            // one force for the file's data and size, whichever channel wrote them
            out.force(true);
            if (direct != null) direct.close();
            out.close();
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException | IOException ignored) {
                // not a POSIX file system: keep the default permissions
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw AudioFileException.of(target, "the file system cannot rename atomically in this folder", e);
            }
            unregisterTemp(temp);
            committed = true;
        } catch (AudioFileException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            throw AudioFileException.of(target, "cannot finish writing: " + e.getMessage(), e);
        }
    }

    /**
     * Puts the sizes of a file of {@code frames} frames into header {@code h} (from {@link #header}): RIFF and data
     * sizes and the fact chunk's frame count, or, above the RIFF limit, the RF64 form with its ds64 chunk in place
     * of the JUNK chunk. {@code h}'s position and limit are kept.
     */
    private void finish(ByteBuffer h, long frames) {
        long dataBytes = frames * blockAlign;
        long riffSize = dataOffset + dataBytes + (dataBytes & 1) - 8;
        ByteBuffer b = h.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (riffSize > options.riffLimit) {
            b.position(0);
            b.put(ascii("RF64")).putInt(0xFFFFFFFF);
            b.position(JUNK_OFFSET);
            b.put(ascii("ds64")).putInt(DS64_BODY).putLong(riffSize).putLong(dataBytes).putLong(frames).putInt(0);
            b.putInt((int) dataOffset - 4, 0xFFFFFFFF);
            if (factOffset >= 0) b.putInt((int) factOffset, 0xFFFFFFFF);
        } else {
            b.putInt(4, (int) riffSize);
            b.putInt((int) dataOffset - 4, (int) dataBytes);
            if (factOffset >= 0) b.putInt((int) factOffset, (int) Math.min(frames, 0xFFFFFFFFL));
        }
    }

    private static java.security.MessageDigest sha256Digest() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** Without a prior {@link #commit()}, deletes the temporary file: the target stays as it was. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!committed) {
            if (direct != null) AudioFileReader.closeQuietly(direct);
            AudioFileReader.closeQuietly(out);
            deleteTemp();
        }
    }

    private void checkNotAnInput() throws AudioFileException {
        for (Path in : options.inputs) {
            if (sameFile(target, in)) {
                throw AudioFileException.of(target, "refusing to overwrite an input file (" + in + "); choose another output");
            }
        }
    }

    static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException ignored) {
            // fall through to the path comparison
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private void deleteTemp() {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort; the shutdown hook tries again
        }
        unregisterTemp(temp);
    }

    private static synchronized void registerTemp(Path p) {
        LIVE_TEMPS.add(p);
        if (cleanupHook != null) return;
        // an inner class, not a lambda: see processId
        Thread hook = new Thread("stemroom-temp-cleanup") {
            @Override
            public void run() {
                for (Path t : LIVE_TEMPS) {
                    try {
                        Files.deleteIfExists(t);
                    } catch (IOException ignored) {
                        // exiting anyway
                    }
                }
            }
        };
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            cleanupHook = hook;
        } catch (IllegalStateException shuttingDown) {
            // a writer made while the process exits: its temporary file is deleted by close() or left behind
        }
    }

    private static synchronized void unregisterTemp(Path p) {
        LIVE_TEMPS.remove(p);
        if (!LIVE_TEMPS.isEmpty() || cleanupHook == null) return;
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
            cleanupHook = null;
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Whether the cleanup hook is registered (tests: only while a temporary file is live). */
    static synchronized boolean cleanupHookRegistered() {
        return cleanupHook != null;
    }

    /** Temporary files of writers neither committed nor closed (tests). */
    static synchronized int liveTemps() {
        return LIVE_TEMPS.size();
    }

    private void putAt(ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) p += out.write(b, p);
    }

    /** The header up to and including the data chunk's size field. */
    static ByteBuffer header(AudioFormat format, SampleFormat sf) {
        int ch = format.channels();
        int mask = format.layout().waveMask();
        boolean extensible = ch > 2 || sf.bits() > 16 || sf.isFloat();
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer h = ByteBuffer.allocate(12 + 8 + DS64_BODY + 8 + fmtSize + (sf.isFloat() ? 12 : 0) + 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        h.put(ascii("RIFF")).putInt(0).put(ascii("WAVE"));
        h.put(ascii("JUNK")).putInt(DS64_BODY).put(new byte[DS64_BODY]);
        h.put(ascii("fmt ")).putInt(fmtSize);
        int code = sf.isFloat() ? WavParser.TAG_FLOAT : WavParser.TAG_PCM;
        h.putShort((short) (extensible ? WavParser.TAG_EXTENSIBLE : code));
        h.putShort((short) ch);
        h.putInt(format.sampleRate());
        h.putInt(format.sampleRate() * ch * sf.bytes());
        h.putShort((short) (ch * sf.bytes()));
        h.putShort((short) sf.bits());
        if (extensible) {
            h.putShort((short) 22);
            h.putShort((short) sf.bits());
            h.putInt(Integer.bitCount(mask) == ch ? mask : 0);
            h.putShort((short) code);
            h.put(WavParser.GUID_TAIL);
        }
        if (sf.isFloat()) h.put(ascii("fact")).putInt(4).putInt(0);
        h.put(ascii("data")).putInt(0);
        h.flip();
        return h;
    }

    private static long factOffsetIn(ByteBuffer h) {
        for (int i = 12; i + 8 <= h.limit(); ) {
            String id = new String(new byte[] {h.get(i), h.get(i + 1), h.get(i + 2), h.get(i + 3)},
                    java.nio.charset.StandardCharsets.US_ASCII);
            int size = h.getInt(i + 4);
            if (id.equals("fact")) return i + 8;
            if (id.equals("data")) return -1;
            i += 8 + size;
        }
        return -1;
    }

    private static byte[] ascii(String s) { return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII); }
}
