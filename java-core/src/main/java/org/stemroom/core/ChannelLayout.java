package org.stemroom.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An ordered set of channels with a name. Standard layouts map onto {@link Speaker}s and carry a
 * WAVE_FORMAT_EXTENSIBLE channel mask; arbitrary named layouts (stems, microphone arrays) carry
 * labels only and a mask of 0.
 */
public final class ChannelLayout {
    public static final ChannelLayout MONO = standard("mono", Speaker.C);
    public static final ChannelLayout STEREO = standard("stereo", Speaker.L, Speaker.R);
    public static final ChannelLayout LCR = standard("LCR", Speaker.L, Speaker.R, Speaker.C);
    public static final ChannelLayout QUAD = standard("quad", Speaker.L, Speaker.R, Speaker.LS, Speaker.RS);
    public static final ChannelLayout SURROUND_5_0 = standard("5.0", Speaker.L, Speaker.R, Speaker.C, Speaker.LS, Speaker.RS);
    /** ITU-R BS.775 5.1 in SMPTE/WAV order L R C LFE Ls Rs (mask 0x3F). */
    public static final ChannelLayout SURROUND_5_1 = standard("5.1", Speaker.L, Speaker.R, Speaker.C, Speaker.LFE, Speaker.LS, Speaker.RS);
    /** 7.1 in WAV mask order L R C LFE Lrs Rrs Lss Rss (mask 0x63F). */
    public static final ChannelLayout SURROUND_7_1 = standard("7.1", Speaker.L, Speaker.R, Speaker.C, Speaker.LFE,
            Speaker.LS, Speaker.RS, Speaker.LSS, Speaker.RSS);
    /** 7.1.4: 7.1 plus four height speakers (mask 0x2D63F). */
    public static final ChannelLayout SURROUND_7_1_4 = standard("7.1.4", Speaker.L, Speaker.R, Speaker.C, Speaker.LFE,
            Speaker.LS, Speaker.RS, Speaker.LSS, Speaker.RSS, Speaker.LTF, Speaker.RTF, Speaker.LTR, Speaker.RTR);

    private static final List<ChannelLayout> STANDARD = List.of(MONO, STEREO, LCR, QUAD, SURROUND_5_0, SURROUND_5_1,
            SURROUND_7_1, SURROUND_7_1_4);

    private final String name;
    private final List<String> labels;
    private final List<Speaker> speakers; // empty for non-speaker layouts

    private ChannelLayout(String name, List<String> labels, List<Speaker> speakers) {
        this.name = name;
        this.labels = Collections.unmodifiableList(new ArrayList<>(labels));
        this.speakers = Collections.unmodifiableList(new ArrayList<>(speakers));
    }

    private static ChannelLayout standard(String name, Speaker... speakers) {
        List<String> labels = new ArrayList<>();
        for (Speaker s : speakers) labels.add(s.label());
        return new ChannelLayout(name, labels, Arrays.asList(speakers));
    }

    /** A layout of loudspeakers in the given order (e.g. a custom array). */
    public static ChannelLayout ofSpeakers(String name, List<Speaker> speakers) {
        List<String> labels = new ArrayList<>();
        for (Speaker s : speakers) labels.add(s.label());
        return new ChannelLayout(name, labels, speakers);
    }

    /** An arbitrary named layout, e.g. stems ("vocals", "drums") or an Ambisonic/microphone array. */
    public static ChannelLayout named(String name, String... labels) {
        if (labels.length == 0) throw new IllegalArgumentException("a layout needs at least one channel");
        return new ChannelLayout(name, Arrays.asList(labels), List.of());
    }

    /** The standard layout with this name ("mono", "stereo", "5.1", "7.1", ...), case-insensitive. */
    public static ChannelLayout byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (ChannelLayout l : STANDARD) {
            if (l.name.toLowerCase(Locale.ROOT).equals(n)) return l;
        }
        throw new IllegalArgumentException("unknown layout '" + name + "' (known: " + standardNames() + ")");
    }

    public static List<String> standardNames() {
        List<String> names = new ArrayList<>();
        for (ChannelLayout l : STANDARD) names.add(l.name);
        return names;
    }

    public static List<ChannelLayout> standardLayouts() { return STANDARD; }

    /** The usual layout for a channel count when a file carries no mask: 1 mono, 2 stereo, 6 5.1, 8 7.1. */
    public static ChannelLayout defaultFor(int channels) {
        switch (channels) {
            case 1: return MONO;
            case 2: return STEREO;
            case 3: return LCR;
            case 4: return QUAD;
            case 5: return SURROUND_5_0;
            case 6: return SURROUND_5_1;
            case 8: return SURROUND_7_1;
            case 12: return SURROUND_7_1_4;
            default:
                if (channels < 1) throw new IllegalArgumentException("channel count must be positive: " + channels);
                String[] labels = new String[channels];
                for (int i = 0; i < channels; i++) labels[i] = "ch" + (i + 1);
                return named(channels + "ch", labels);
        }
    }

    /**
     * The layout a WAVE_FORMAT_EXTENSIBLE mask describes, or {@link #defaultFor(int)} when the mask is 0 or
     * does not have exactly {@code channels} bits set.
     */
    public static ChannelLayout fromWaveMask(int mask, int channels) {
        if (mask == 0 || Integer.bitCount(mask) != channels) return defaultFor(channels);
        for (ChannelLayout l : STANDARD) if (l.waveMask() == mask) return l;
        List<Speaker> sp = new ArrayList<>();
        for (Speaker s : Speaker.values()) if ((mask & s.waveMaskBit()) != 0) sp.add(s);
        // Bits set beyond the Speaker table (reserved positions) fall back to plain labels.
        if (sp.size() != channels) return defaultFor(channels);
        return ofSpeakers(String.format(Locale.ROOT, "mask 0x%X", mask), sp);
    }

    public String name() { return name; }
    public int channelCount() { return labels.size(); }
    public List<String> labels() { return labels; }
    public String label(int channel) { return labels.get(channel); }
    public boolean isSpeakerLayout() { return !speakers.isEmpty(); }
    /** The speakers in channel order; empty for named non-speaker layouts. */
    public List<Speaker> speakers() { return speakers; }

    /** Index of the channel with this label (case-insensitive), or -1. */
    public int indexOf(String label) {
        for (int i = 0; i < labels.size(); i++) if (labels.get(i).equalsIgnoreCase(label)) return i;
        return -1;
    }

    public int indexOf(Speaker speaker) { return speakers.indexOf(speaker); }

    /** Index of the LFE channel, or -1 when the layout has none. */
    public int lfeIndex() { return speakers.indexOf(Speaker.LFE); }

    /**
     * WAVE_FORMAT_EXTENSIBLE dwChannelMask, or 0 when the channels are not speakers or are not in the
     * ascending bit order that WAV requires.
     */
    public int waveMask() {
        int mask = 0;
        int lastBit = 0;
        for (Speaker s : speakers) {
            if (s.waveMaskBit() <= lastBit) return 0;
            lastBit = s.waveMaskBit();
            mask |= s.waveMaskBit();
        }
        return mask;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ChannelLayout)) return false;
        ChannelLayout that = (ChannelLayout) o;
        return name.equals(that.name) && labels.equals(that.labels) && speakers.equals(that.speakers);
    }

    @Override
    public int hashCode() { return Objects.hash(name, labels, speakers); }

    @Override
    public String toString() { return name + " " + labels; }
}
