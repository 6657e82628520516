package org.stemroom.separation.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.stemroom.core.StemroomException;

/**
 * What a neural separator's ONNX file expects, read from a JSON manifest next to it (documented in the README).
 * The STFT never lives inside the graph (complex STFT does not export to ONNX): the manifest states it exactly
 * so our pre- and post-processing match what the model was trained with.
 */
public final class ModelManifest {

    /** The four tensor contracts real separators use. */
    public enum Family {
        /** waveform in [batch, channels, samples], stems out [batch, stems, channels, samples] (Demucs). */
        WAVEFORM,
        /** magnitude in [batch, channels, bins, frames], mask or magnitude out [batch, stems, channels, bins, frames]
         *  with the mixture phase (Open-Unmix). */
        MAGNITUDE,
        /** complex in [batch, 2*channels, bins, frames] (re/im interleaved per channel), same out per stem
         *  (MDX-Net / UVR), bins above the model's size cropped and zero-padded back. */
        COMPLEX,
        /** one frame at a time with recurrent state tensors carried from call to call (GTCRN, DTLN). */
        STATEFUL
    }

    /** A recurrent state: fed to {@code input}, read back from {@code output}, zeros at the start. */
    public record State(String input, String output, long[] shape) { }

    /** One graph of a stateful pipeline (DTLN has two). */
    public record Stage(Path model, String sha256, String kind, String input, String output, List<State> states) { }

    public final Path file;
    public final String name;
    public final Family family;
    public final Path model;
    public final String sha256;
    public final int sampleRate;
    public final int channels;
    public final List<String> stems;
    public final String inputName;
    public final String outputName;
    public final double segmentSeconds;
    public final int segmentFrames;   // STFT frames per segment (spectrogram families)
    public final double overlap;      // fraction of a segment
    public final int batch;
    public final String normalize;    // none | track-mono-meanstd
    public final String outputKind;   // waveform | mask | magnitude | complex
    public final String complementStem;
    public final double outputGain;
    public final int nFft;
    public final int hop;
    public final String window;       // hann | sqrt-hann | rect
    public final String padding;      // zero | reflect
    public final int binsKept;
    public final int intraOpThreads;
    public final boolean arena;
    public final List<Stage> stages;
    /**
     * Hybrid models ({@link HybridSeparator}): the model-free recipe whose stem ratios ({@link ModelFreePrior}) the
     * network refines, fed to input {@link #priorInput}; null for every other model.
     */
    public final String prior;
    public final String priorInput;

    private ModelManifest(Path file, JsonNode j) throws StemroomException {
        this.file = file;
        Path dir = file.toAbsolutePath().getParent();
        name = text(j, "name", file.getFileName().toString().replaceFirst("\\.json$", ""));
        String fam = req(j, "family").asText().toUpperCase(Locale.ROOT);
        try {
            family = Family.valueOf(fam);
        } catch (IllegalArgumentException e) {
            throw err("family '" + fam.toLowerCase(Locale.ROOT) + "' unknown (waveform, magnitude, complex, stateful)");
        }
        model = j.has("model") ? dir.resolve(j.get("model").asText()) : null;
        sha256 = text(j, "sha256", null);
        sampleRate = req(j, "sampleRate").asInt();
        channels = j.has("channels") ? j.get("channels").asInt() : 2;
        stems = new ArrayList<>();
        if (j.has("stems")) for (JsonNode s : j.get("stems")) stems.add(s.asText());
        inputName = text(j, "input", null);
        outputName = text(j, "output", null);
        segmentSeconds = j.has("segmentSeconds") ? j.get("segmentSeconds").asDouble() : 0;
        segmentFrames = j.has("segmentFrames") ? j.get("segmentFrames").asInt() : 0;
        overlap = j.has("overlap") ? j.get("overlap").asDouble() : 0.25;
        batch = j.has("batch") ? j.get("batch").asInt() : 1;
        normalize = text(j, "normalize", "none");
        complementStem = text(j, "complementStem", null);
        outputGain = j.has("outputGain") ? j.get("outputGain").asDouble() : 1.0;
        JsonNode st = j.get("stft");
        nFft = st != null ? req(st, "nFft").asInt() : 0;
        hop = st != null ? req(st, "hop").asInt() : 0;
        window = st != null ? text(st, "window", "hann") : "hann";
        padding = st != null ? text(st, "padding", "reflect") : "reflect";
        binsKept = st != null && st.has("binsKept") ? st.get("binsKept").asInt() : (nFft / 2 + 1);
        String defKind = switch (family) {
            case WAVEFORM -> "waveform";
            case MAGNITUDE -> "mask";
            case COMPLEX -> "complex";
            case STATEFUL -> "complex-frame";
        };
        outputKind = text(j, "outputKind", defKind);
        JsonNode sess = j.get("session");
        intraOpThreads = sess != null && sess.has("intraOpThreads") ? sess.get("intraOpThreads").asInt() : 1;
        arena = sess == null || !sess.has("arena") || sess.get("arena").asBoolean();
        prior = text(j, "prior", null);
        priorInput = text(j, "priorInput", prior != null ? "prior" : null);
        stages = new ArrayList<>();
        if (j.has("stages")) {
            for (JsonNode s : j.get("stages")) {
                List<State> states = new ArrayList<>();
                if (s.has("states")) {
                    for (JsonNode x : s.get("states")) {
                        JsonNode shp = req(x, "shape");
                        long[] shape = new long[shp.size()];
                        for (int i = 0; i < shape.length; i++) shape[i] = shp.get(i).asLong();
                        states.add(new State(req(x, "input").asText(), req(x, "output").asText(), shape));
                    }
                }
                stages.add(new Stage(dir.resolve(req(s, "model").asText()), text(s, "sha256", null),
                        text(s, "kind", "complex-frame"), text(s, "input", null), text(s, "output", null), states));
            }
        }
        validate();
    }

    public static ModelManifest read(Path file) throws StemroomException {
        if (!Files.isRegularFile(file)) throw new StemroomException(file + ": model manifest not found");
        try {
            JsonNode j = new ObjectMapper().readTree(file.toFile());
            if (j == null || !j.isObject()) throw new StemroomException(file + ": manifest is not a JSON object");
            return new ModelManifest(file, j);
        } catch (IOException e) {
            throw new StemroomException(file + ": manifest is not valid JSON: " + e.getMessage().split("\n")[0]);
        }
    }

    private void validate() throws StemroomException {
        if (sampleRate < 8000 || sampleRate > 384000) throw err("sampleRate " + sampleRate + " outside 8000..384000");
        if (channels < 1 || channels > 2) throw err("channels must be 1 or 2, got " + channels);
        if (batch < 1 || batch > 64) throw err("batch must be 1..64, got " + batch);
        if (!(overlap >= 0 && overlap < 1)) throw err("overlap must be in [0, 1), got " + overlap);
        if (intraOpThreads < 1) throw err("session.intraOpThreads must be >= 1");
        if (!List.of("none", "track-mono-meanstd").contains(normalize)) {
            throw err("normalize '" + normalize + "' unknown (none, track-mono-meanstd)");
        }
        switch (family) {
            case WAVEFORM -> {
                if (model == null) throw err("'model' missing");
                if (stems.isEmpty()) throw err("'stems' missing");
                if (!(segmentSeconds > 0)) throw err("'segmentSeconds' missing");
            }
            case MAGNITUDE, COMPLEX -> {
                if (model == null) throw err("'model' missing");
                if (stems.isEmpty()) throw err("'stems' missing");
                if (nFft <= 0 || hop <= 0) throw err("'stft' with nFft and hop missing");
                // a hybrid model runs on the recipe's windows, whatever their frame count
                if (segmentFrames <= 0 && prior == null) throw err("'segmentFrames' missing");
                if (prior != null && family != Family.MAGNITUDE) throw err("'prior' needs the magnitude family");
                if (binsKept < 1 || binsKept > nFft / 2 + 1) throw err("stft.binsKept must be 1.." + (nFft / 2 + 1));
                if (family == Family.MAGNITUDE && !List.of("mask", "magnitude").contains(outputKind)) {
                    throw err("outputKind must be mask or magnitude for the magnitude family");
                }
            }
            case STATEFUL -> {
                if (stages.isEmpty()) throw err("'stages' missing");
                if (nFft <= 0 || hop <= 0) throw err("'stft' with nFft and hop missing");
                if (stems.isEmpty()) throw err("'stems' missing (e.g. [\"speech\"])");
                for (Stage s : stages) {
                    if (!List.of("complex-frame", "magnitude-mask", "waveform-block").contains(s.kind())) {
                        throw err("stage kind '" + s.kind() + "' unknown (complex-frame, magnitude-mask, waveform-block)");
                    }
                }
            }
            default -> { }
        }
        if (!List.of("hann", "sqrt-hann", "rect").contains(window)) throw err("stft.window '" + window + "' unknown");
        if (!List.of("zero", "reflect").contains(padding)) throw err("stft.padding '" + padding + "' unknown");
    }

    /** The stem names a separator built from this manifest returns (the model's plus the complement). */
    public List<String> outputStems() {
        List<String> s = new ArrayList<>(stems);
        if (complementStem != null) s.add(complementStem);
        return s;
    }

    StemroomException err(String what) {
        return new StemroomException(file + ": " + what);
    }

    private JsonNode req(JsonNode j, String key) throws StemroomException {
        JsonNode v = j.get(key);
        if (v == null || v.isNull()) throw err("'" + key + "' missing");
        return v;
    }

    private static String text(JsonNode j, String key, String def) {
        JsonNode v = j.get(key);
        return v == null || v.isNull() ? def : v.asText();
    }

    static List<String> fieldNames(JsonNode j) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = j.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
