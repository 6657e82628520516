package org.stemroom.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes the inference model ({@link TrainGraphs#inference}: no loss, no optimizer) as {@code model.onnx} with a
 * {@code manifest.json} for {@link org.stemroom.separation.onnx.OnnxSeparator}: family {@code magnitude}, input
 * {@code mag} [batch, 2, 1025, segmentFrames], output {@code mask} [batch, 4, 2, 1025, segmentFrames] (softmax
 * masks applied to the mixture's complex STFT, so the stems sum to the mixture), STFT 2048 / 512 periodic Hann
 * with zero padding, segments overlapping by {@link #OVERLAP}, one intra-op thread.
 *
 * <p>The shipped copy lives at {@link #RESOURCE_DIR} on the separation module's class path (files
 * {@code manifest.json}, {@code model.onnx}, {@code MODEL_CARD.md}); this path and the manifest's fields are the
 * contract the {@code neural} separator loads.
 */
public final class ModelExport {
    /** Class-path folder of the shipped model (in the separation module's resources). */
    public static final String RESOURCE_DIR = "/org/stemroom/separation/models/stemroom-unmix/";
    /** Where that folder is in a source checkout. */
    public static final String SOURCE_DIR = "separation/src/main/resources/org/stemroom/separation/models/stemroom-unmix";
    public static final String NAME = "stemroom-unmix";
    /**
     * Segment overlap: the network sees only +-3 frames, so segments need overlap only to hide their edges;
     * 1/32 of 512 frames (16 frames) keeps the repeated work at 3 %.
     */
    public static final double OVERLAP = 1.0 / 32;
    /** Frames per segment of the shipped model (5.9 s at 44.1 kHz, hop 512). */
    public static final int SEGMENT_FRAMES = 512;

    private ModelExport() { }

    /** Initializers at least this large go to half precision in a shipped export (weight matrices, not biases). */
    public static final int HALF_PRECISION_MIN_ELEMENTS = 1024;

    /** Writes model.onnx (float weights) and manifest.json into {@code dir}; {@code note} goes into the manifest. */
    public static void write(UnmixNet net, int segmentFrames, Path dir, String note) throws IOException {
        write(net, segmentFrames, dir, note, false);
    }

    /**
     * Writes model.onnx and manifest.json into {@code dir} (atomically each). With {@code halfWeights} the weight
     * matrices are stored in half precision ({@link HalfPrecisionWeights}): the form that ships, half the size.
     */
    public static void write(UnmixNet net, int segmentFrames, Path dir, String note, boolean halfWeights)
            throws IOException {
        Files.createDirectories(dir);
        UnmixConfig c = net.config;
        // a hybrid network runs on whatever window the model-free recipe's grid hands it: dynamic frame count
        byte[] model = TrainGraphs.inference(net, c.hasPrior() ? -1 : segmentFrames);
        if (halfWeights) model = HalfPrecisionWeights.convert(model, HALF_PRECISION_MIN_ELEMENTS);
        atomicWrite(dir.resolve("model.onnx"), model);
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode j = om.createObjectNode();
        j.put("name", NAME);
        j.put("description", "stemroom's own frame-wise mask network (" + c.parameterCount() + " parameters), trained "
                + "by training-by-inference on ONNX Runtime" + (halfWeights ? ", weights stored in half precision" : "")
                + "; " + note);
        j.put("family", "magnitude");
        j.put("model", "model.onnx");
        j.put("sha256", sha256(model));
        j.put("sampleRate", c.sampleRate());
        j.put("channels", 2);
        ArrayNode st = j.putArray("stems");
        for (String s : c.stems()) st.add(s);
        j.put("input", "mag");
        j.put("output", "mask");
        j.put("outputKind", "mask");
        if (c.hasPrior()) {
            j.put("prior", c.prior());
            j.put("priorInput", "prior");
        } else {
            j.put("segmentFrames", segmentFrames);
            j.put("overlap", OVERLAP);
        }
        j.put("batch", 1);
        ObjectNode stft = j.putObject("stft");
        stft.put("nFft", c.nFft());
        stft.put("hop", c.hop());
        stft.put("window", "hann");
        stft.put("padding", "zero");
        ObjectNode sess = j.putObject("session");
        sess.put("intraOpThreads", 1);
        sess.put("arena", true);
        atomicWrite(dir.resolve("manifest.json"), (om.writeValueAsString(j) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void atomicWrite(Path file, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(tmp, data);
            try {
                // temporary files are created owner-only; an exported model is meant to be shared
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep its default permissions
            }
            org.stemroom.core.io.AtomicFiles.replace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
