package org.stemroom.spatial;

import java.util.Arrays;
import org.stemroom.core.AudioBuffer;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.AudioProcessor;

/**
 * Places one mono or stereo stem in a loudspeaker layout according to a {@link StemPlacement}: the stage the
 * render pipeline and the plugin run once per stem before summing.
 *
 * <h2>Signal path</h2>
 * <ol>
 *   <li>Distance: inverse-distance gain and the {@link AirAbsorption} low-pass (one per input channel).</li>
 *   <li>Direction: {@link Vbap} gains with the chosen {@link PanLaw}, then centre divergence (part of the centre
 *       speaker's power moved to L/R). Stereo stems put their left input at {@code azimuth + width/2} and their
 *       right input at {@code azimuth - width/2}.</li>
 *   <li>Width of mono stems: the stem stays at its direction (the "mid") and two velvet-noise decorrelated copies
 *       are added as "side" pairs, each fed with opposite signs to the directions {@code azimuth ± width/4} and
 *       {@code azimuth ± width/2}, less their projection on the layout's BS.775 mono fold-down: the sides cancel
 *       in the mono fold-down whatever the direction, so a widened stem folds down to the same mono as the point
 *       source but for one overall gain: the whole is scaled by {@code P^(-1/6)}, P the power ratio of
 *       mid plus sides to mid, which bounds the change of the mono fold-down to -1 dB and the rise of total power
 *       to +2 dB at the largest width (decorrelation inherently splits 3 dB between the two).</li>
 *   <li>LFE send into the layout's LFE channel (if it has one), recorded 10 dB below the send level per the LFE
 *       playback convention. The send is full-band here; BassManager band-limits the LFE channel of the
 *       summed mix.</li>
 * </ol>
 *
 * <h2>Automation</h2>
 * {@link #setPlacement} and {@link #setSoloActive} may be called between any two {@link #processRange} calls
 * (from the audio thread; they do not allocate). Every gain and filter coefficient then moves linearly from its
 * present value to the new one over the smoothing time (10 ms by default), so the sample-to-sample change of a
 * gain never exceeds {@code |change| / smoothingFrames}. For sample-accurate automation a host splits its block
 * at each event: {@code processRange(in, out, 0, t); setPlacement(p); processRange(in, out, t, n)}.
 *
 * <p>{@code process} and {@code processRange} do not allocate. Not thread-safe: one instance per stem.
 */
public final class StemPanner implements AudioProcessor {
    /** Default parameter smoothing time. */
    public static final double DEFAULT_SMOOTHING_SECONDS = 0.010;
    /** Width at which the side components reach full strength. */
    static final double FULL_SIDE_WIDTH = 60.0;

    private final SpeakerLayout layout;
    private final PanLaw panLaw;
    private final double smoothingSeconds;
    private final Vbap vbap;
    private final int outChannels;
    private final int lfe;
    private final int centre;
    private final int left;
    private final int right;
    private final double[] monoFold;
    private final double monoFoldNorm2;

    private AudioFormat inFormat;
    private AudioFormat outFormat;
    private int inChannels;
    private int maxBlock;
    private int rampFrames;

    private StemPlacement placement = StemPlacement.DEFAULT;
    private boolean soloActive;
    // the live position (the placement's, or the last setPosition): read by computeTargets
    private double liveAzimuth = StemPlacement.DEFAULT.azimuth();
    private double liveDistance = StemPlacement.DEFAULT.distance();
    private double liveWidth = StemPlacement.DEFAULT.width();

    // gain layout: direct[c][o] at c*outCh+o, side1[o], side2[o], lfe[c], air {a, b0, b1, c} (AirAbsorption.Fit.sections)
    private int side1Base;
    private int side2Base;
    private int lfeBase;
    private int airBase;
    private double[] target;
    private double[] current;
    private double[] step;
    private int rampLeft;
    private boolean targetsValid;

    private double[] vbapA;
    private double[] vbapB;
    private double[] air;
    private float[][] filtered;
    private float[] s1;
    private float[] s2;
    private double[][] airState;
    private AirAbsorption.Fit airFit;
    private VelvetDecorrelator d1;
    private VelvetDecorrelator d2;

    public StemPanner(SpeakerLayout layout) {
        this(layout, PanLaw.MINUS_3_DB, DEFAULT_SMOOTHING_SECONDS);
    }

    /** @param smoothingSeconds ramp time of parameter changes; 0 applies them at once (for comparison only). */
    public StemPanner(SpeakerLayout layout, PanLaw panLaw, double smoothingSeconds) {
        if (!(smoothingSeconds >= 0 && smoothingSeconds <= 1)) {
            throw new IllegalArgumentException("smoothing time must be 0..1 s: " + smoothingSeconds);
        }
        this.layout = layout;
        this.panLaw = panLaw;
        this.smoothingSeconds = smoothingSeconds;
        this.vbap = new Vbap(layout, panLaw);
        this.outChannels = layout.channelCount();
        this.lfe = layout.lfeIndex();
        this.centre = mainIndex("C");
        this.left = mainIndex("L");
        this.right = mainIndex("R");
        FoldDown mono = new FoldDown(layout, FoldDown.Mode.MONO);
        this.monoFold = new double[outChannels];
        double n2 = 0;
        for (int o = 0; o < outChannels; o++) {
            monoFold[o] = mono.gain(0, o);
            n2 += monoFold[o] * monoFold[o];
        }
        this.monoFoldNorm2 = n2;
    }

    private int mainIndex(String label) {
        int i = layout.indexOf(label);
        return i >= 0 && !layout.position(i).isLfe() ? i : -1;
    }

    public SpeakerLayout layout() { return layout; }
    public PanLaw panLaw() { return panLaw; }
    public StemPlacement placement() { return placement; }

    @Override
    public void prepare(AudioFormat inputFormat, int maxBlockFrames) {
        int ch = inputFormat.channels();
        if (ch != 1 && ch != 2) {
            throw new IllegalArgumentException("the stem panner takes mono or stereo stems, not " + ch + " channels");
        }
        if (maxBlockFrames < 1) throw new IllegalArgumentException("max block must be >= 1: " + maxBlockFrames);
        inFormat = inputFormat;
        outFormat = new AudioFormat(inputFormat.sampleRate(), layout.channelLayout());
        inChannels = ch;
        maxBlock = maxBlockFrames;
        rampFrames = (int) Math.round(smoothingSeconds * inputFormat.sampleRate());
        side1Base = inChannels * outChannels;
        side2Base = side1Base + outChannels;
        lfeBase = side2Base + outChannels;
        airBase = lfeBase + inChannels;
        int n = airBase + 4;
        target = new double[n];
        current = new double[n];
        step = new double[n];
        vbapA = new double[outChannels];
        vbapB = new double[outChannels];
        air = new double[4];
        filtered = new float[inChannels][maxBlock];
        s1 = new float[maxBlock];
        s2 = new float[maxBlock];
        airState = new double[inChannels][3 * AirAbsorption.SECTIONS_PER_KIND];
        airFit = AirAbsorption.STANDARD.fit(inputFormat.sampleRate()); // made once per rate, here off the audio thread
        d1 = new VelvetDecorrelator(inputFormat.sampleRate(), 0x5EED_0001L);
        d2 = new VelvetDecorrelator(inputFormat.sampleRate(), 0x5EED_0002L);
        targetsValid = false;
        reset();
    }

    /** Sets where the stem goes; it glides there over the smoothing time from the next processed frame. */
    public void setPlacement(StemPlacement p) {
        if (p == null) throw new IllegalArgumentException("placement is null");
        placement = p;
        liveAzimuth = p.azimuth();
        liveDistance = p.distance();
        liveWidth = p.width();
        retarget();
    }

    /**
     * Moves the stem without allocating (live automation on the audio thread): azimuth, distance and width
     * replace the placement's, everything else (level, elevation, LFE, divergence) stays; the gains and the air
     * low-pass glide to the new position over the smoothing time, as with {@link #setPlacement}. Values are
     * clamped to the placement's ranges.
     */
    public void setPosition(double azimuthDegrees, double distanceMetres, double widthDegrees) {
        liveAzimuth = SpeakerLayout.wrapDegrees(azimuthDegrees);
        liveDistance = Math.max(StemPlacement.MIN_DISTANCE, Math.min(1e4, distanceMetres));
        liveWidth = Math.max(0, Math.min(StemPlacement.MAX_WIDTH, widthDegrees));
        retarget();
    }

    /** The live azimuth (degrees, wrapped), distance (m) and width (degrees). */
    public double azimuth() { return liveAzimuth; }
    public double distance() { return liveDistance; }
    public double width() { return liveWidth; }

    /** Tells the panner whether some stem of the mix is soloed (then this one is heard only if it is soloed too). */
    public void setSoloActive(boolean anySoloInMix) {
        soloActive = anySoloInMix;
        retarget();
    }

    private void retarget() {
        if (target == null) return; // before prepare: applied at once in prepare/reset
        computeTargets();
        if (!targetsValid || rampFrames == 0) {
            System.arraycopy(target, 0, current, 0, target.length);
            Arrays.fill(step, 0);
            rampLeft = 0;
            targetsValid = true;
            return;
        }
        for (int k = 0; k < target.length; k++) step[k] = (target[k] - current[k]) / rampFrames;
        rampLeft = rampFrames;
    }

    private void computeTargets() {
        StemPlacement p = placement;
        double az = liveAzimuth;
        double dist = liveDistance;
        double width = liveWidth;
        Arrays.fill(target, 0);
        boolean audible = p.audible(soloActive);
        double g = audible ? Math.pow(10, p.levelDb() / 20) * StemPlacement.REFERENCE_DISTANCE / dist : 0;
        double distanceOnly = audible ? StemPlacement.REFERENCE_DISTANCE / dist : 0;
        if (inChannels == 1) {
            double norm = 1;
            double sigma = Math.min(1, width / FULL_SIDE_WIDTH);
            if (sigma > 0) {
                // sides: v_k = (VBAP(az + t_k) - VBAP(az - t_k)) / sqrt(2), each scaled by sigma / sqrt(2)
                double sidePower = sideGains(az, p.elevation(), width / 4, sigma, side1Base)
                        + sideGains(az, p.elevation(), width / 2, sigma, side2Base);
                norm = Math.pow(1 + sidePower, -1.0 / 6);
                for (int o = 0; o < outChannels; o++) {
                    target[side1Base + o] *= g * norm;
                    target[side2Base + o] *= g * norm;
                }
            }
            directGains(az, p.elevation(), p.centreDivergence(), g * norm, 0);
            if (lfe >= 0) target[lfeBase] = audible ? p.lfeChannelGain() * distanceOnly : 0;
        } else {
            directGains(az + width / 2, p.elevation(), p.centreDivergence(), g, 0);
            directGains(az - width / 2, p.elevation(), p.centreDivergence(), g, outChannels);
            if (lfe >= 0) {
                double l = audible ? p.lfeChannelGain() * distanceOnly * Math.sqrt(0.5) : 0;
                target[lfeBase] = l;
                target[lfeBase + 1] = l;
            }
        }
        airFit.sections(dist - StemPlacement.REFERENCE_DISTANCE, air);
        target[airBase] = air[0];
        target[airBase + 1] = air[1];
        target[airBase + 2] = air[2];
        target[airBase + 3] = air[3];
    }

    private void directGains(double az, double el, double divergence, double gain, int base) {
        vbap.gains(az, el, vbapA);
        if (divergence > 0 && centre >= 0 && left >= 0 && right >= 0) {
            double gc = vbapA[centre];
            double moved = gc * gc * divergence / 2;
            vbapA[centre] = gc * Math.sqrt(1 - divergence);
            vbapA[left] = Math.sqrt(vbapA[left] * vbapA[left] + moved);
            vbapA[right] = Math.sqrt(vbapA[right] * vbapA[right] + moved);
        }
        for (int o = 0; o < outChannels; o++) target[base + o] = gain * vbapA[o];
    }

    /** Writes one side pair's gains (before the overall gain) at {@code base}; returns its power. */
    private double sideGains(double az, double el, double halfAngle, double sigma, int base) {
        vbap.gains(az + halfAngle, el, vbapA);
        vbap.gains(az - halfAngle, el, vbapB);
        double power = 0;
        double k = sigma / Math.sqrt(2) / Math.sqrt(2);
        double vf = 0;
        for (int o = 0; o < outChannels; o++) {
            vbapA[o] = (vbapA[o] - vbapB[o]) * k;
            vf += vbapA[o] * monoFold[o];
        }
        // remove what of the side would reach the BS.775 mono fold-down: widening then never changes the mono
        // sum, whatever the stem's direction
        double proj = vf / monoFoldNorm2;
        for (int o = 0; o < outChannels; o++) {
            double v = vbapA[o] - proj * monoFold[o];
            target[base + o] = v;
            power += v * v;
        }
        return power;
    }

    @Override
    public void process(AudioBuffer input, AudioBuffer output) {
        output.setFrames(input.frames());
        processRange(input, output, 0, input.frames());
    }

    /**
     * Renders frames {@code [from, to)} of {@code input} into the same frames of {@code output}, whose
     * {@code frames()} the caller has set to at least {@code to}. Parameter changes between calls take effect at
     * frame {@code from}.
     */
    public void processRange(AudioBuffer input, AudioBuffer output, int from, int to) {
        for (int start = from; start < to; start += maxBlock) {
            int len = Math.min(maxBlock, to - start);
            renderChunk(input, output, start, len);
        }
    }

    private void renderChunk(AudioBuffer input, AudioBuffer output, int off, int len) {
        int ramp = Math.min(len, rampLeft);
        // 1. air absorption per input channel (AirAbsorption.Fit.sections: one-pole sections with pole a, then
        //    first-order sections (b0 + b1 z^-1) / (1 + c z^-1)), coefficients gliding with the gains
        for (int c = 0; c < inChannels; c++) {
            airAbsorb(input.channel(c), off, filtered[c], len, ramp, current, step, target, airBase, airState[c]);
            flushTiny(airState[c]);
        }
        // 2. decorrelated sides for mono stems
        boolean sides = inChannels == 1 && (anyNonZero(side1Base, 2 * outChannels));
        if (sides) {
            d1.process(filtered[0], s1, 0, len);
            d2.process(filtered[0], s2, 0, len);
        } else if (inChannels == 1) {
            // keep the decorrelators' history current so that widening later starts without a transient
            d1.feed(filtered[0], 0, len);
            d2.feed(filtered[0], 0, len);
        }
        // 3. mix to the speakers
        for (int o = 0; o < outChannels; o++) {
            float[] y = output.channel(o);
            Arrays.fill(y, off, off + len, 0f);
            for (int c = 0; c < inChannels; c++) accumulate(y, off, filtered[c], c * outChannels + o, len, ramp);
            if (sides) {
                accumulate(y, off, s1, side1Base + o, len, ramp);
                accumulate(y, off, s2, side2Base + o, len, ramp);
            }
            if (o == lfe) {
                for (int c = 0; c < inChannels; c++) accumulate(y, off, filtered[c], lfeBase + c, len, ramp);
            }
        }
        // 4. advance the glide
        if (rampLeft > 0) {
            if (rampLeft > len) {
                for (int k = 0; k < current.length; k++) current[k] += step[k] * len;
                rampLeft -= len;
            } else {
                System.arraycopy(target, 0, current, 0, target.length);
                rampLeft = 0;
            }
        }
    }

    // airAbsorb below is written out for three sections of each kind
    static {
        if (AirAbsorption.SECTIONS_PER_KIND != 3) throw new AssertionError("airAbsorb is written for 3 sections of each kind");
    }

    /**
     * One channel's air absorption, {@code x[off, off+len)} into {@code y[0, len)}: the {@value
     * AirAbsorption#SECTIONS_PER_KIND} one-pole sections (pole a), then as many first-order sections
     * {@code (b0 + b1 z^-1) / (1 + c z^-1)} (AirAbsorption.Fit.sections), the coefficients {a, b0, b1, c} at
     * {@code cur[base..base+4)} gliding by {@code stp} over the first {@code ramp} samples, then {@code tgt}'s.
     * {@code st} holds the sections' state between calls: the three one-pole outputs, then the three (input,
     * output) pairs. Within the call the state lives in locals: read from and written back to the array at every
     * sample, each section waited on a store and a load per sample (and C2 compiled the loop inside the much larger
     * renderChunk, on-stack and again whole). The same operations in the same order as the array form. Written out
     * for three sections of each kind (checked when the class loads).
     */
    static void airAbsorb(float[] x, int off, float[] y, int len, int ramp, double[] cur, double[] stp, double[] tgt,
                          int base, double[] st) {
        double a = cur[base], b0 = cur[base + 1], b1 = cur[base + 2], cc = cur[base + 3];
        final double da = stp[base], db0 = stp[base + 1], db1 = stp[base + 2], dc = stp[base + 3];
        double p0 = st[0], p1 = st[1], p2 = st[2];
        double i0 = st[3], o0 = st[4], i1 = st[5], o1 = st[6], i2 = st[7], o2 = st[8];
        for (int j = 0; j < len; j++) {
            if (j < ramp) {
                a += da;
                b0 += db0;
                b1 += db1;
                cc += dc;
            } else if (j == ramp) {
                a = tgt[base];
                b0 = tgt[base + 1];
                b1 = tgt[base + 2];
                cc = tgt[base + 3];
            }
            double v = x[off + j];
            v = (1 - a) * v + a * p0;
            p0 = v;
            v = (1 - a) * v + a * p1;
            p1 = v;
            v = (1 - a) * v + a * p2;
            p2 = v;
            double o = b0 * v + b1 * i0 - cc * o0;
            i0 = v;
            o0 = o;
            v = o;
            o = b0 * v + b1 * i1 - cc * o1;
            i1 = v;
            o1 = o;
            v = o;
            o = b0 * v + b1 * i2 - cc * o2;
            i2 = v;
            o2 = o;
            y[j] = (float) o;
        }
        st[0] = p0; st[1] = p1; st[2] = p2;
        st[3] = i0; st[4] = o0; st[5] = i1; st[6] = o1; st[7] = i2; st[8] = o2;
    }

    /** Bits of 1e-30: a non-negative double is below it exactly when its bits are (IEEE 754 orders them alike). */
    private static final long TINY_BITS = Double.doubleToRawLongBits(1e-30);

    /**
     * Keeps the filters out of the denormal range on silence: every state whose magnitude is below 1e-30 becomes
     * +0, as {@code if (Math.abs(v) < 1e-30) v = 0} would (NaN stays NaN). Without a branch: a branch that is never
     * taken while a render plays music is first taken in the silent tail, where C2's code for renderChunk, compiled
     * without it, was thrown away and compiled again (three compiles undone and two more made in the last second of
     * a one-minute render, about a tenth of the C2 compiler's time).
     */
    static void flushTiny(double[] st) {
        for (int q = 0; q < st.length; q++) {
            long bits = Double.doubleToRawLongBits(st[q]);
            long tiny = ((bits & Long.MAX_VALUE) - TINY_BITS) >> 63; // all ones when |v| < 1e-30, else zero
            st[q] = Double.longBitsToDouble(bits & ~tiny);
        }
    }

    private boolean anyNonZero(int base, int n) {
        for (int k = base; k < base + n; k++) if (current[k] != 0 || target[k] != 0) return true;
        return false;
    }

    private void accumulate(float[] y, int off, float[] x, int k, int len, int ramp) {
        double g = current[k];
        double tg = target[k];
        if (ramp == 0 && g == 0 && tg == 0) return;
        double st = step[k];
        for (int j = 0; j < ramp; j++) {
            g += st;
            y[off + j] += (float) (g * x[j]);
        }
        float gt = (float) tg;
        if (gt != 0f) for (int j = ramp; j < len; j++) y[off + j] += gt * x[j];
    }

    @Override
    public void reset() {
        if (target == null) return;
        for (double[] st : airState) Arrays.fill(st, 0);
        d1.reset();
        d2.reset();
        targetsValid = false;
        retarget();
    }

    @Override
    public AudioFormat outputFormat() {
        if (outFormat == null) throw new IllegalStateException("prepare first");
        return outFormat;
    }
}
