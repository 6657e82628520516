package org.stemroom.separation.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.stemroom.core.StemroomException;

/**
 * Models shipped inside stemroom's own jar, under {@code org/stemroom/separation/models/NAME/} (a
 * {@code manifest.json} and the ONNX file it names). ONNX Runtime and {@link ModelManifest} want files, so a model
 * inside a jar is extracted once into a cache folder keyed by the model's SHA-256
 * ({@code $XDG_CACHE_HOME/stemroom/models/NAME-SHA}, or {@code ~/.cache/...}, or the temporary folder when the
 * home is not writable); a model on the class path as plain files (a build tree) is used where it lies.
 *
 * <p>The system property {@value #OVERRIDE_PROPERTY} names a manifest to use instead of the shipped one (to try a
 * freshly trained model as "neural", and for tests with small generated models).
 */
public final class BuiltinModels {
    /** The project's own four-stem separator, trained by the trainer module. */
    public static final String STEMROOM_UNMIX = "stemroom-unmix";
    /** Folder of the shipped models inside the jar. */
    public static final String RESOURCE_DIR = "org/stemroom/separation/models/";
    /** A manifest path that replaces the shipped model (see the class comment). */
    public static final String OVERRIDE_PROPERTY = "stemroom.neural.manifest";
    /** The cache folder (default: the user's cache, see the class comment). */
    public static final String CACHE_PROPERTY = "stemroom.cache";

    private BuiltinModels() { }

    /**
     * The manifest file of a built-in model, ready for {@link ModelManifest#read}.
     *
     * @throws StemroomException naming the resource or file that is missing or unreadable
     */
    public static Path manifest(String name) throws StemroomException {
        String override = System.getProperty(OVERRIDE_PROPERTY);
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            if (!Files.isRegularFile(p)) {
                throw new StemroomException(p + ": model manifest not found (set by -D" + OVERRIDE_PROPERTY + ")");
            }
            return p;
        }
        return manifest(name, BuiltinModels.class.getClassLoader());
    }

    /** The manifest of built-in model {@code name} as found through {@code loader} (extracted when in a jar). */
    public static Path manifest(String name, ClassLoader loader) throws StemroomException {
        String base = RESOURCE_DIR + name + "/";
        URL url = loader.getResource(base + "manifest.json");
        if (url == null) {
            throw new StemroomException("built-in model '" + name + "' is not in this build (class-path resource "
                    + base + "manifest.json missing)");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                // fall through: extract it like a jar entry
            }
        }
        byte[] manifestBytes = read(loader, base + "manifest.json");
        String modelFile;
        try {
            JsonNode j = new ObjectMapper().readTree(manifestBytes);
            JsonNode m = j == null ? null : j.get("model");
            if (m == null || m.asText().isBlank() || m.asText().contains("/") || m.asText().contains("..")) {
                throw new StemroomException("built-in model '" + name + "': " + base
                        + "manifest.json names no model file beside it");
            }
            modelFile = m.asText();
        } catch (IOException e) {
            throw new StemroomException("built-in model '" + name + "': " + base + "manifest.json is not valid JSON: "
                    + e.getMessage().split("\n")[0]);
        }
        byte[] model = read(loader, base + modelFile);
        String sha = sha256(model);
        Path dir = cacheRoot().resolve(name + "-" + sha.substring(0, 16));
        Path mf = dir.resolve("manifest.json");
        Path mp = dir.resolve(modelFile);
        try {
            Files.createDirectories(dir);
            if (!Files.isRegularFile(mp) || !sha.equals(sha256(Files.readAllBytes(mp)))) writeAtomically(mp, model);
            if (!Files.isRegularFile(mf) || !java.util.Arrays.equals(manifestBytes, Files.readAllBytes(mf))) {
                writeAtomically(mf, manifestBytes);
            }
        } catch (IOException e) {
            throw new StemroomException("built-in model '" + name + "': cannot extract it to " + dir + ": " + e);
        }
        return mf;
    }

    private static byte[] read(ClassLoader loader, String resource) throws StemroomException {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new StemroomException("built-in model resource " + resource + " missing");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StemroomException("built-in model resource " + resource + " unreadable: " + e.getMessage());
        }
    }

    /** The cache folder: the property, else XDG_CACHE_HOME or ~/.cache when writable, else the temporary folder. */
    static Path cacheRoot() {
        String p = System.getProperty(CACHE_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p).resolve("models");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = home.resolve("stemroom").resolve("models");
        try {
            Files.createDirectories(dir);
            if (Files.isWritable(dir)) return dir;
        } catch (IOException | SecurityException e) {
            // a read-only home (some plugin hosts): the temporary folder below
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "stemroom-" + System.getProperty("user.name"), "models");
    }

    /** Another process may extract the same model at once: each writes its own temporary file, then renames. */
    private static void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            Files.write(tmp, data);
            org.stemroom.core.io.AtomicFiles.replace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
