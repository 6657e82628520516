package org.stemroom.workstation.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Progress;
import org.stemroom.core.StemroomException;
import org.stemroom.core.io.AudioFileReader;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.LayoutPlacement;
import org.stemroom.presets.MasterSettings;
import org.stemroom.presets.Preset;
import org.stemroom.presets.StemSettings;

/**
 * Places stems that are already separated ({@code stemroom place}): each stem file goes through the same
 * {@link StemChains} a render builds from the preset (so {@code place} and {@code render} give the same samples for
 * the same stems), the chains are summed in the order the stems were given, and the sum is written to one file in
 * the output layout. No separation; a room and a master stage only when they are asked for.
 *
 * <p>Streaming: every stem is read block by block, so memory does not grow with the files' length. The chains are
 * aligned to the longest latency among them and that latency is dropped on writing, so the output lines up with
 * the stems sample for sample. Stems of different lengths: the shorter ones are padded with silence (and named in
 * the result); different sample rates are an error.
 *
 * <p>Master stage (optional): the render's own ({@link MasterPass}: loudness gain, true-peak limiter), on the sum,
 * with the same bits a render's master stage gives the same pre-master.
 */
public final class StemPlacer {
    private StemPlacer() { }

    /** A stem: the name that picks its placement in the preset, and its file. */
    public record Stem(String name, Path file) { }

    /** What a placement wrote and measured. */
    public static final class Result {
        public final Map<String, StemSettings> placements = new LinkedHashMap<>();
        /** Stems the preset does not name, placed by its {@code default} entry. */
        public final List<String> byDefault = new ArrayList<>();
        /** Stems shorter than the longest, padded with silence at the end. */
        public final List<String> padded = new ArrayList<>();
        public ChannelLayout layout;
        public int sampleRate;
        public long inputFrames;
        public long outputFrames;
        public int latencyFrames;
        public long tailFrames;
        public long clippedSamples;
        public double peakDbfs;
        public double seconds;
        /** The master stage's settings, or null when there was none. */
        public MasterSettings master;
        /** Loudness and peaks of the output (null without a master stage: peak only, in {@link #peakDbfs}). */
        public StreamStats outputStats;
        public double premasterLufs = Double.NaN;
        public double masterGainDb;
        public double limiterMinGainDb;
    }

    /**
     * @param layoutName stereo, 5.1 or 7.1 (the preset must have a placement for it)
     * @param roomSpec   a built-in room, an IR file or room.json, or {@link RenderSettings#NO_ROOM}
     * @param master     the master stage (loudness target, true-peak ceiling), or null for none
     */
    public static Result place(List<Stem> stems, Preset preset, String layoutName, String roomSpec,
                               MasterSettings master, SampleFormat sampleFormat, Path output, int block,
                               Progress progress) throws IOException, StemroomException {
        if (stems.isEmpty()) throw new StemroomException("no stems to place");
        if (progress == null) progress = Progress.NONE;
        long t0 = System.nanoTime();
        ChannelLayout layout = RenderEngine.outputLayout(layoutName);
        LayoutPlacement placement = preset.placementFor(layoutName);
        Result result = new Result();
        result.layout = layout;
        result.master = master;
        List<AudioFileReader> readers = new ArrayList<>();
        try {
            for (Stem s : stems) {
                AudioFileReader r = AudioFileReader.open(s.file());
                readers.add(r);
                int ch = r.format().channels();
                if (ch < 1 || ch > 2) {
                    throw new StemroomException(s.file() + ": " + ch + " channels; a stem must be mono or stereo");
                }
                if (r.format().sampleRate() != readers.get(0).format().sampleRate()) {
                    throw new StemroomException(s.file() + ": sample rate " + r.format().sampleRate() + " Hz, but "
                            + stems.get(0).file() + " is " + readers.get(0).format().sampleRate()
                            + " Hz; resample the stems to one rate first");
                }
                if (s.file().toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
                    throw new StemroomException(output + ": the output would overwrite the input stem '" + s.name() + "'");
                }
            }
            int rate = readers.get(0).format().sampleRate();
            result.sampleRate = rate;
            long frames = 0;
            for (AudioFileReader r : readers) frames = Math.max(frames, r.frames());
            for (int k = 0; k < stems.size(); k++) {
                if (readers.get(k).frames() < frames) result.padded.add(stems.get(k).name());
            }
            result.inputFrames = frames;

            RoomLibrary.Room room = null;
            if (!RenderSettings.NO_ROOM.equalsIgnoreCase(roomSpec.trim())) {
                progress.begin("preparing room " + roomSpec, 0);
                room = RoomLibrary.load(roomSpec, layout, rate);
                progress.done();
            }
            double wetGain = 1.0;
            double dryGain = 1.0;
            if (room != null && preset.room() != null) {
                wetGain = Math.pow(10, preset.room().wetDb() / 20);
                dryGain = Math.pow(10, preset.room().dryDb() / 20);
            }

            List<String> names = new ArrayList<>();
            List<StemSettings> settingsList = new ArrayList<>();
            List<AudioFormat> formats = new ArrayList<>();
            int[] channels = new int[stems.size()];
            for (int k = 0; k < stems.size(); k++) {
                String name = stems.get(k).name();
                StemSettings settings = placement.forStem(name);
                if (!placement.stems().containsKey(name)) result.byDefault.add(name);
                result.placements.put(name, settings);
                names.add(name);
                settingsList.add(settings);
                formats.add(readers.get(k).format());
                channels[k] = readers.get(k).format().channels();
            }
            // one room for all stems (their sends summed per source position), every stem aligned to it
            StemChains chains = StemChains.of(layout, names, settingsList, channels, room, wetGain, dryGain, false);
            chains.prepare(formats, block);
            int latency = chains.latencyFrames();
            long tail = chains.tailFrames();
            result.latencyFrames = latency;
            result.tailFrames = tail;
            result.outputFrames = frames + tail;

            AudioFormat outFormat = new AudioFormat(rate, layout);
            List<Path> inputs = new ArrayList<>();
            for (Stem s : stems) inputs.add(s.file());
            List<BlockFiller> fillers = new ArrayList<>();
            for (AudioFileReader r : readers) fillers.add(new BlockFiller(r, block));
            AudioBuffer[] ins = new AudioBuffer[stems.size()];
            AudioBuffer mix = new AudioBuffer(layout.channelCount(), block);
            Path staging = output.toAbsolutePath().resolveSibling("." + output.getFileName() + ".premaster.wav");
            MasterPass mp = master == null ? null
                    : new MasterPass(master, output, staging, outFormat, sampleFormat, inputs, block, true);
            try (AudioFileWriter w = mp != null ? null : AudioFileWriter.create(output, outFormat, sampleFormat,
                    AudioFileWriter.Options.defaults().inputsNotToOverwrite(inputs))) {
                StreamStats stats = new StreamStats();
                AlignedWriter aw;
                if (mp != null) {
                    mp.begin(result.outputFrames);
                    aw = new AlignedWriter(mp, latency, result.outputFrames, layout.channelCount(), block, null);
                } else {
                    aw = new AlignedWriter(w, latency, result.outputFrames, layout.channelCount(), block, stats);
                }
                progress.begin("placing " + stems.size() + " stems in " + layout.name(), frames);
                long read = 0;
                while (aw.remaining() > 0) {
                    // Past the end of every stem this feeds silence: it flushes the latency and the room's tail.
                    int n = (int) Math.min(block, Math.max(frames - read, 0));
                    if (n == 0) n = block;
                    for (int k = 0; k < ins.length; k++) ins[k] = fillers.get(k).next(n);
                    chains.processMix(ins, mix); // fixed order: the order the stems were given, then the room
                    aw.write(mix);
                    if (read < frames) {
                        long adv = Math.min(n, frames - read);
                        read += adv;
                        progress.advance(adv);
                    }
                }
                progress.done();
                if (mp != null) {
                    mp.finish(progress);
                    result.clippedSamples = mp.clippedSamples();
                    result.outputStats = mp.mixStats();
                    result.peakDbfs = mp.mixStats().peakDbfs();
                    result.premasterLufs = mp.premasterLufs();
                    result.masterGainDb = mp.gainDb();
                    result.limiterMinGainDb = mp.limiterMinGainDb();
                } else {
                    w.commit();
                    result.clippedSamples = w.clippedSamples();
                    result.peakDbfs = stats.peakDbfs();
                }
            } finally {
                if (mp != null) {
                    mp.abandon();
                    Files.deleteIfExists(staging);
                }
            }
        } finally {
            for (AudioFileReader r : readers) {
                try {
                    r.close();
                } catch (IOException ignored) {
                    // closing a reader we only read from loses nothing
                }
            }
        }
        result.seconds = (System.nanoTime() - t0) * 1e-9;
        return result;
    }

    /** Reads a stem in blocks of exactly the asked size, silence after its end (readers may return short reads). */
    static final class BlockFiller {
        private final AudioFileReader reader;
        private final AudioBuffer block;
        private final AudioBuffer pending;
        private int pendingPos;
        private boolean eof;

        BlockFiller(AudioFileReader reader, int size) {
            this.reader = reader;
            int ch = reader.format().channels();
            this.block = new AudioBuffer(ch, size);
            this.pending = new AudioBuffer(ch, size);
            pending.setFrames(0);
        }

        AudioBuffer next(int n) throws IOException {
            block.setFrames(n);
            int filled = 0;
            while (filled < n && !eof) {
                if (pendingPos >= pending.frames()) {
                    pendingPos = 0;
                    if (reader.read(pending) <= 0) {
                        pending.setFrames(0);
                        eof = true;
                        break;
                    }
                }
                int m = Math.min(n - filled, pending.frames() - pendingPos);
                for (int c = 0; c < block.channels(); c++) {
                    System.arraycopy(pending.channel(c), pendingPos, block.channel(c), filled, m);
                }
                pendingPos += m;
                filled += m;
            }
            for (int c = 0; c < block.channels(); c++) java.util.Arrays.fill(block.channel(c), filled, n, 0f);
            return block;
        }
    }
}
