package org.stemroom.workstation.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.io.AudioFileWriter;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.workstation.CompileLogJvm;

/**
 * {@link RenderEngine#loadSecondImplementations}: in a fresh JVM with the render's JIT options and {@code -Xbatch}
 * (each compile done before the call that asked for it goes on), the writer's C2 code for float files is thrown away ("made
 * not entrant") when a big-endian int view of a heap buffer is first made after it was compiled (what the report's
 * font reader does in a render's last seconds), and is not when the render's start made one first.
 */
class IntBufferViewsTest {
    private static final Pattern ENCODE_C2 = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.core\\.io\\.AudioFileWriter::encode\\b");
    private static final Pattern ENCODE_C2_UNDONE = Pattern.compile(
            "(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.stemroom\\.core\\.io\\.AudioFileWriter::encode\\b.*made not entrant");

    /**
     * Entry point of the fresh JVM below: {@link RenderEngine#loadSecondImplementations} if {@code args[1]} is
     * "early"; then 32 s of 5.1 written as a float file ({@code args[0]}) in 256-frame blocks (enough calls for C2),
     * as a render writes its placed stems; then a big-endian int view of a heap buffer, as the font reader makes one.
     */
    public static void main(String[] args) throws IOException {
        if (args[1].equals("early")) RenderEngine.loadSecondImplementations();
        AudioBuffer b = new AudioBuffer(6, 256);
        b.setFrames(256);
        for (int c = 0; c < 6; c++) {
            for (int i = 0; i < 256; i++) b.channel(c)[i] = (float) Math.sin(0.01 * i * (c + 1)) * 0.5f;
        }
        try (AudioFileWriter w = AudioFileWriter.create(Path.of(args[0]),
                new AudioFormat(48_000, ChannelLayout.SURROUND_5_1), SampleFormat.FLOAT_32)) {
            for (int k = 0; k < 6_000; k++) w.write(b);
            w.commit();
        }
        System.out.println("font view " + ByteBuffer.wrap(new byte[] {0, 1, 0, 0}).asIntBuffer().get(0));
    }

    @Test
    void loadingTheViewFirstSparesTheWritersC2Code(@TempDir Path dir) throws Exception {
        String late = run(dir.resolve("late.wav"), "late");
        String early = run(dir.resolve("early.wav"), "early");
        assertTrue(ENCODE_C2.matcher(late).find(), "C2 never compiled the writer's encode: " + late);
        assertTrue(ENCODE_C2_UNDONE.matcher(late).find(), "no C2 code thrown away without the early view either: "
                + late);
        assertTrue(ENCODE_C2.matcher(early).find(), "C2 never compiled the writer's encode: " + early);
        assertFalse(ENCODE_C2_UNDONE.matcher(early).find(), "the writer's C2 code thrown away: " + early);
        assertTrue(early.strip().endsWith("font view 65536"), early);
        assertEquals(-1, Files.mismatch(dir.resolve("late.wav"), dir.resolve("early.wav")));
    }

    /** The output (the compile log, then the last line) of a fresh JVM running {@link #main}. */
    private String run(Path target, String mode) throws IOException, InterruptedException {
        return CompileLogJvm.run(getClass(), List.of(), target.toString(), mode);
    }
}
