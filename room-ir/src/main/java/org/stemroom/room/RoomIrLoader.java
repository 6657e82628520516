package org.stemroom.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.io.AudioFiles;

/**
 * Loads IR sets from audio files (WAV, RF64, AIFF, FLAC) or from a JSON descriptor, checks them, and resamples
 * them to the session rate with the project's {@link Resampler}.
 *
 * <p>How the channels of one audio file map onto the source x output matrix is given by {@link Interpretation}.
 * A JSON descriptor names one file per source position and maps each file channel to an output:
 * <pre>{@code
 * { "name": "Studio A", "room": "...", "licence": "CC-BY-4.0", "notes": "...",
 *   "layout": "5.1",                              // or "outputs": ["L", "R", ...]
 *   "sources": [ { "file": "pos1.wav", "position": [4.5, 2.0, 1.5], "channels": ["L", "R", "C", null, "Ls", "Rs"] },
 *                { "file": "pos2.flac", "channels": ["L", "R", "C", null, "Ls", "Rs"] } ],
 *   "receivers": [[4.5, 6.0, 1.6]] }
 * }</pre>
 * File paths are relative to the descriptor; a null channel entry is not used.
 */
public final class RoomIrLoader {

    /** How the channels of a single audio file become a matrix. */
    public enum Interpretation {
        /** 1 channel: mono; 2: a stereo pair (L to L, R to R); 4: true stereo (LL LR RL RR); N: one source into N outputs. */
        AUTO,
        /** One source into as many outputs as the file has channels (a microphone array, or a stereo IR for a mono source). */
        ONE_SOURCE,
        /** Channel i is the IR from source i to output i (no cross paths). */
        PAIRED,
        /** Four channels LL, LR, RL, RR (source to output). */
        TRUE_STEREO;

        public static Interpretation parse(String s) {
            switch (s.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "auto": return AUTO;
                case "one-source": case "mono-source": return ONE_SOURCE;
                case "paired": case "stereo": return PAIRED;
                case "true-stereo": return TRUE_STEREO;
                default: throw new IllegalArgumentException("unknown IR layout '" + s + "' (auto, one-source, paired, true-stereo)");
            }
        }
    }

    private RoomIrLoader() { }

    /** Loads {@code path} (audio file or .json descriptor), resampled to {@code sessionRate} (0 keeps the file's rate). */
    public static RoomImpulseResponse load(Path path, Interpretation how, int sessionRate) throws IOException, StemroomException {
        RoomImpulseResponse rir = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")
                ? loadDescriptor(path) : loadAudio(path, how);
        return sessionRate > 0 ? resample(rir, sessionRate) : rir;
    }

    static RoomImpulseResponse loadAudio(Path path, Interpretation how) throws IOException, StemroomException {
        AudioClip clip = AudioFiles.readAll(path);
        check(clip, path.toString());
        int n = clip.channels();
        float[][] ch = clip.samples();
        RoomImpulseResponse.Metadata md = new RoomImpulseResponse.Metadata(stem(path), "", "", "from " + path.getFileName(), null, null);
        int rate = clip.sampleRate();
        Interpretation h = how;
        if (h == Interpretation.AUTO) {
            h = n == 2 ? Interpretation.PAIRED : n == 4 ? Interpretation.TRUE_STEREO : Interpretation.ONE_SOURCE;
        }
        switch (h) {
            case TRUE_STEREO:
                if (n != 4) throw new StemroomException(path + ": a true-stereo IR needs 4 channels (LL LR RL RR), this one has " + n);
                return RoomImpulseResponse.trueStereo(ch[0], ch[1], ch[2], ch[3], rate, md);
            case PAIRED: {
                float[][][] m = new float[n][n][];
                for (int i = 0; i < n; i++) m[i][i] = ch[i];
                return new RoomImpulseResponse(m, rate, clip.format().layout(), md);
            }
            default:
                return RoomImpulseResponse.oneSource(ch, rate, clip.format().layout(), md);
        }
    }

    static RoomImpulseResponse loadDescriptor(Path json) throws IOException, StemroomException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new StemroomException(json + ": not valid JSON: " + e.getMessage().split("\n")[0]);
        }
        if (root == null || !root.isObject()) throw new StemroomException(json + ": the descriptor must be a JSON object");
        ChannelLayout layout;
        if (root.hasNonNull("layout")) {
            try {
                layout = ChannelLayout.byName(root.get("layout").asText());
            } catch (IllegalArgumentException e) {
                throw new StemroomException(json + ": " + e.getMessage());
            }
        } else if (root.has("outputs") && root.get("outputs").isArray() && root.get("outputs").size() > 0) {
            List<String> labels = new ArrayList<>();
            for (JsonNode l : root.get("outputs")) labels.add(l.asText());
            layout = ChannelLayout.named("custom", labels.toArray(new String[0]));
        } else {
            throw new StemroomException(json + ": needs \"layout\" (e.g. \"stereo\", \"5.1\") or \"outputs\" (a list of labels)");
        }
        JsonNode sources = root.get("sources");
        if (sources == null || !sources.isArray() || sources.size() == 0) {
            throw new StemroomException(json + ": needs \"sources\", a non-empty list of {\"file\": ..., \"channels\": [...]}");
        }
        int outs = layout.channelCount();
        float[][][] m = new float[sources.size()][outs][];
        List<double[]> positions = new ArrayList<>();
        int rate = -1;
        String rateFile = null;
        for (int s = 0; s < sources.size(); s++) {
            JsonNode src = sources.get(s);
            String where = json + ": sources[" + s + "]";
            if (!src.hasNonNull("file")) throw new StemroomException(where + ": missing \"file\"");
            Path file = json.toAbsolutePath().getParent().resolve(src.get("file").asText());
            if (!Files.isRegularFile(file)) throw new StemroomException(where + ": no such file " + file);
            AudioClip clip = AudioFiles.readAll(file);
            check(clip, file.toString());
            if (rate < 0) {
                rate = clip.sampleRate();
                rateFile = file.getFileName().toString();
            } else if (clip.sampleRate() != rate) {
                throw new StemroomException(where + ": mismatched sample rates: " + file.getFileName() + " is "
                        + clip.sampleRate() + " Hz, " + rateFile + " is " + rate + " Hz");
            }
            JsonNode map = src.get("channels");
            if (map == null || !map.isArray()) {
                if (clip.channels() != outs) {
                    throw new StemroomException(where + ": " + file.getFileName() + " has " + clip.channels()
                            + " channels for " + outs + " outputs; give \"channels\" to map them");
                }
                for (int o = 0; o < outs; o++) m[s][o] = clip.channel(o);
            } else {
                if (map.size() != clip.channels()) {
                    throw new StemroomException(where + ": \"channels\" maps " + map.size() + " channels but "
                            + file.getFileName() + " has " + clip.channels());
                }
                for (int c = 0; c < map.size(); c++) {
                    if (map.get(c).isNull()) continue;
                    String label = map.get(c).asText();
                    int o = layout.indexOf(label);
                    if (o < 0) throw new StemroomException(where + ": channel " + c + " maps to unknown output '" + label
                            + "' (outputs: " + String.join(" ", layout.labels()) + ")");
                    if (m[s][o] != null) throw new StemroomException(where + ": output '" + label + "' mapped twice");
                    m[s][o] = clip.channel(c);
                }
            }
            positions.add(position(src.get("position"), where));
        }
        boolean any = false;
        for (float[][] row : m) for (float[] h : row) any |= h != null;
        if (!any) throw new StemroomException(json + ": no channel is mapped to an output");
        List<double[]> receivers = new ArrayList<>();
        if (root.has("receivers") && root.get("receivers").isArray()) {
            for (JsonNode r : root.get("receivers")) receivers.add(position(r, json + ": receivers"));
        }
        boolean allPositions = positions.stream().allMatch(p -> p != null);
        RoomImpulseResponse.Metadata md = new RoomImpulseResponse.Metadata(text(root, "name", stem(json)),
                text(root, "room", ""), text(root, "licence", text(root, "license", "")), text(root, "notes", ""),
                allPositions ? positions : null, receivers);
        return new RoomImpulseResponse(m, rate, layout, md);
    }

    private static double[] position(JsonNode p, String where) throws StemroomException {
        if (p == null || p.isNull()) return null;
        if (!p.isArray() || p.size() != 3) throw new StemroomException(where + ": a position is [x, y, z] in metres");
        return new double[] {p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asDouble()};
    }

    private static String text(JsonNode n, String field, String dflt) {
        return n.hasNonNull(field) ? n.get(field).asText() : dflt;
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** Empty, silent, absurdly long or non-finite IRs are refused with a message naming the file. */
    static void check(AudioClip clip, String name) throws StemroomException {
        if (clip.frames() == 0) throw new StemroomException(name + ": the IR is empty (0 samples)");
        if (clip.durationSeconds() > RoomImpulseResponse.MAX_SECONDS) {
            throw new StemroomException(String.format(Locale.ROOT, "%s: the IR is %.1f s long; IRs over %.0f s are refused "
                    + "(is this a recording rather than an impulse response?)", name, clip.durationSeconds(), RoomImpulseResponse.MAX_SECONDS));
        }
        // One pass over the magnitudes' bits (EngineLoops.peakBits): for finite floats their order is the values'
        // order, and NaN or infinity is 0x7F800000 and above. This runs once per job on up to millions of samples
        // before any of it is compiled; as a loop of EngineLoops it leaves the interpreter within a few hundred
        // samples (see the launcher), where the loop here with its isFinite and Math calls stayed interpreted for
        // most of a six-channel IR (about 35 ms of a cold start).
        int peakBits = 0;
        for (float[] c : clip.samples()) peakBits = Math.max(peakBits, EngineLoops.peakBits(c, c.length));
        if (peakBits >= 0x7F800000) throw new StemroomException(name + ": the IR contains NaN or infinite samples");
        if (Float.intBitsToFloat(peakBits) < 1e-7) throw new StemroomException(name + ": the IR is silent (peak below -140 dBFS)");
    }

    /** The set at {@code rate} (itself when equal), each IR through the project's band-limited resampler. */
    public static RoomImpulseResponse resample(RoomImpulseResponse rir, int rate) {
        if (rir.sampleRate() == rate) return rir;
        List<float[]> irs = new ArrayList<>();
        for (float[][] row : rir.matrix()) for (float[] h : row) if (h != null) irs.add(h);
        AudioClip clip = new AudioClip(AudioFormat.of(rir.sampleRate(), irs.size()), irs.toArray(new float[0][]));
        AudioClip out = Resampler.resample(clip, rate);
        float[][][] m = new float[rir.sources()][rir.outputs()][];
        int k = 0;
        for (int s = 0; s < rir.sources(); s++) {
            for (int o = 0; o < rir.outputs(); o++) {
                if (rir.ir(s, o) != null) m[s][o] = out.channel(k++);
            }
        }
        return rir.withMatrix(m, rate).withMetadata(rir.metadata().withNotes("resampled " + rir.sampleRate() + " -> " + rate + " Hz"));
    }

    /**
     * Makes the set usable for an input of {@code inputChannels}: as is when the source counts match; a stereo pair
     * for a mono input becomes one source into both outputs; a one-source set for a multichannel input feeds every
     * input channel through the same IRs (the inputs are summed into the room).
     */
    public static RoomImpulseResponse adaptToInput(RoomImpulseResponse rir, int inputChannels) throws StemroomException {
        if (rir.sources() == inputChannels) return rir;
        if (inputChannels == 1) {
            float[][] row = new float[rir.outputs()][];
            for (int o = 0; o < rir.outputs(); o++) {
                // each output takes the first source that reaches it (a stereo pair's diagonal)
                for (int s = 0; s < rir.sources() && row[o] == null; s++) row[o] = rir.ir(s, o);
            }
            return new RoomImpulseResponse(new float[][][] {row}, rir.sampleRate(), rir.outputLayout(), rir.metadata());
        }
        if (rir.sources() == 1) {
            float[][][] m = new float[inputChannels][][];
            Arrays.fill(m, rir.matrix()[0]);
            return new RoomImpulseResponse(m, rir.sampleRate(), rir.outputLayout(), rir.metadata());
        }
        throw new StemroomException("the IR set has " + rir.sources() + " sources but the input has " + inputChannels
                + " channels");
    }
}
