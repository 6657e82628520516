package org.stemroom.workstation.render;

import java.nio.file.Path;
import org.stemroom.core.io.SampleFormat;
import org.stemroom.presets.Preset;

/**
 * Everything that decides a render's bits. render.json records all of it, and {@code --replay} rebuilds it.
 *
 * @param room      a built-in room name, an IR file, or {@code "none"}; null takes the preset's room
 * @param separator a separator name; null takes the preset's
 */
public record RenderSettings(Path input, Preset preset, String layout, String room, String separator,
                             SampleFormat mixFormat, SampleFormat stemFormat, int blockFrames) {
    public static final int DEFAULT_BLOCK = 4096;
    public static final String NO_ROOM = "none";

    public RenderSettings {
        if (blockFrames < 64 || blockFrames > 65536) throw new IllegalArgumentException("block size " + blockFrames);
    }

    public static RenderSettings of(Path input, Preset preset) {
        return new RenderSettings(input, preset, preset.layoutOrDefault(), null, null, SampleFormat.PCM_24,
                SampleFormat.FLOAT_32, DEFAULT_BLOCK);
    }

    /** The room actually used: the explicit one, else the preset's, else none. */
    public String effectiveRoom() {
        if (room != null) return room;
        return preset.room() == null ? NO_ROOM : preset.room().name();
    }

    public String effectiveSeparator() {
        return separator != null ? separator : SeparatorLibrary.nameFor(preset.separator());
    }

    public RenderSettings withLayout(String l) {
        return new RenderSettings(input, preset, l, room, separator, mixFormat, stemFormat, blockFrames);
    }

    public RenderSettings withRoom(String r) {
        return new RenderSettings(input, preset, layout, r, separator, mixFormat, stemFormat, blockFrames);
    }

    public RenderSettings withSeparator(String s) {
        return new RenderSettings(input, preset, layout, room, s, mixFormat, stemFormat, blockFrames);
    }

    public RenderSettings withInput(Path in) {
        return new RenderSettings(in, preset, layout, room, separator, mixFormat, stemFormat, blockFrames);
    }

    public RenderSettings withFormats(SampleFormat mix, SampleFormat stems) {
        return new RenderSettings(input, preset, layout, room, separator, mix, stems, blockFrames);
    }
}
