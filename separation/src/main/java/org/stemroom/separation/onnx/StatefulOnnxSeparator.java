package org.stemroom.separation.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.RealFft;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/**
 * Stateful streaming models (family 4): one STFT frame (or one block) per call, recurrent state tensors fed back
 * from each call's outputs to the next call's inputs (zeros at the start). A pipeline of stages:
 * <ul>
 *   <li>{@code complex-frame}: input {@code [1, bins, 1, 2]} (re/im last), output the same (GTCRN);</li>
 *   <li>{@code magnitude-mask}: input {@code [1, 1, bins]} = |X|, output a mask applied with the mixture phase
 *       (DTLN stage 1);</li>
 *   <li>{@code waveform-block}: input {@code [1, 1, nFft]} time block (the inverse FFT of the previous stage's
 *       spectrum), output a block (DTLN stage 2), overlap-added without normalisation.</li>
 * </ul>
 * Analysis uses our streaming {@link Stft.Analyzer} with the manifest's window; a final spectral stage is
 * resynthesised with {@link Stft.Synthesizer}. The stream delay ({@code nFft - hop}) is removed so the output is
 * aligned with the input. The model's stems are the first manifest stem ("speech"); the complement stem, when
 * declared ("noise"), is the mixture minus it. Channels are processed one after the other, state reset between.
 */
public final class StatefulOnnxSeparator implements Separator, AutoCloseable {
    private final ModelManifest m;
    private final List<OnnxModel> models = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private long framesRun;

    public StatefulOnnxSeparator(ModelManifest manifest) throws StemroomException {
        this.m = manifest;
        if (m.stems.size() != 1) throw m.err("a stateful model yields one stem ('stems' has " + m.stems + ")");
        try {
            for (ModelManifest.Stage s : m.stages) {
                OnnxModel om = new OnnxModel(s.model(), s.sha256(), m.intraOpThreads, m.arena, m.file);
                models.add(om);
                String i = s.input(), o = s.output();
                if (i == null) i = firstNonState(om.inputs().keySet(), s, true);
                if (o == null) o = firstNonState(om.outputs().keySet(), s, false);
                inputs.add(i);
                outputs.add(o);
                int bins = m.nFft / 2 + 1;
                switch (s.kind()) {
                    case "complex-frame" -> {
                        om.expectShape("input", i, new long[] {1, bins, 1, 2}, "([1, bins=" + bins + ", 1, re/im] from stft.nFft)");
                        om.expectShape("output", o, new long[] {1, bins, 1, 2}, "([1, bins, 1, 2])");
                    }
                    case "magnitude-mask" -> {
                        om.expectShape("input", i, new long[] {1, 1, bins}, "([1, 1, bins=" + bins + "] from stft.nFft)");
                        om.expectShape("output", o, new long[] {1, 1, bins}, "([1, 1, bins])");
                    }
                    default -> {
                        om.expectShape("input", i, new long[] {1, 1, m.nFft}, "([1, 1, block=" + m.nFft + "] from stft.nFft)");
                        om.expectShape("output", o, new long[] {-1, 1, m.nFft}, "([?, 1, block])");
                    }
                }
                for (ModelManifest.State st : s.states()) {
                    om.expectShape("input", st.input(), st.shape(), "(state shape from the manifest)");
                    om.expectShape("output", st.output(), st.shape(), "(state shape from the manifest)");
                }
            }
        } catch (StemroomException e) {
            close();
            throw e;
        }
    }

    private static String firstNonState(java.util.Set<String> names, ModelManifest.Stage s, boolean input) {
        for (String n : names) {
            boolean isState = false;
            for (ModelManifest.State st : s.states()) isState |= n.equals(input ? st.input() : st.output());
            if (!isState) return n;
        }
        return names.iterator().next();
    }

    @Override
    public String name() { return "model:" + m.name; }

    @Override
    public List<String> stemNames() { return m.outputStems(); }

    @Override
    public double maxChunkSeconds() { return 120; }

    /** Model calls made so far (frames x stages), for tests that check the state is carried. */
    public long framesRun() { return framesRun; }

    @Override
    public StemSet separate(AudioClip mixture) throws StemroomException {
        AudioClip x = mixture.sampleRate() == m.sampleRate ? mixture : Resampler.resample(mixture, m.sampleRate);
        float[][] y = new float[x.channels()][];
        for (int c = 0; c < x.channels(); c++) y[c] = processChannel(x.channel(c));
        AudioClip yc = new AudioClip(x.format(), y);
        if (x != mixture) {
            float[][] r = Resampler.resample(yc, mixture.sampleRate()).samples();
            for (int c = 0; c < r.length; c++) r[c] = java.util.Arrays.copyOf(r[c], mixture.frames());
            yc = new AudioClip(mixture.format(), r);
        }
        StemSet set = new StemSet(mixture.format(), mixture.frames());
        set.put(m.stems.get(0), yc.samples());
        if (m.complementStem != null) {
            float[][] rest = new float[mixture.channels()][mixture.frames()];
            for (int c = 0; c < rest.length; c++) {
                for (int i = 0; i < rest[c].length; i++) rest[c][i] = mixture.channel(c)[i] - yc.channel(c)[i];
            }
            set.put(m.complementStem, rest);
        }
        return set;
    }

    /** Runs one channel through the pipeline, frame by frame, and returns the aligned output. */
    float[] processChannel(float[] x) throws StemroomException {
        int nFft = m.nFft, hop = m.hop, bins = nFft / 2 + 1;
        float[] win = switch (m.window) {
            case "sqrt-hann" -> Window.sqrtHann(nFft);
            case "rect" -> OnnxSeparator.ones(nFft);
            default -> Window.hann(nFft);
        };
        Stft stft = new Stft(nFft, hop, win);
        Stft.Analyzer an = stft.newAnalyzer();
        Stft.Synthesizer syn = stft.newSynthesizer();
        RealFft fft = new RealFft(nFft);
        int latency = nFft - hop;
        int total = x.length + latency;
        float[] padded = java.util.Arrays.copyOf(x, total + hop);
        float[] out = new float[total + hop];
        int written = 0;
        float[] re = new float[bins], im = new float[bins], block = new float[nFft], ola = new float[nFft];
        List<Map<String, float[]>> states = new ArrayList<>();
        for (ModelManifest.Stage s : m.stages) {
            Map<String, float[]> st = new LinkedHashMap<>();
            for (ModelManifest.State state : s.states()) st.put(state.input(), new float[(int) count(state.shape())]);
            states.add(st);
        }
        boolean lastIsBlock = m.stages.get(m.stages.size() - 1).kind().equals("waveform-block");
        int pos = 0;
        while (written < total) {
            pos += an.push(padded, pos, padded.length - pos);
            if (!an.pull(re, im)) break;
            boolean spectral = true;
            for (int k = 0; k < m.stages.size(); k++) {
                ModelManifest.Stage s = m.stages.get(k);
                OnnxModel om = models.get(k);
                Map<String, float[]> data = new LinkedHashMap<>();
                Map<String, long[]> shapes = new HashMap<>();
                switch (s.kind()) {
                    case "complex-frame" -> {
                        if (!spectral) { fft.forward(block, re, im); spectral = true; }
                        float[] t = new float[bins * 2];
                        for (int b = 0; b < bins; b++) { t[2 * b] = re[b]; t[2 * b + 1] = im[b]; }
                        data.put(inputs.get(k), t);
                        shapes.put(inputs.get(k), new long[] {1, bins, 1, 2});
                    }
                    case "magnitude-mask" -> {
                        if (!spectral) { fft.forward(block, re, im); spectral = true; }
                        float[] t = new float[bins];
                        for (int b = 0; b < bins; b++) t[b] = (float) Math.hypot(re[b], im[b]);
                        data.put(inputs.get(k), t);
                        shapes.put(inputs.get(k), new long[] {1, 1, bins});
                    }
                    default -> {
                        if (spectral) { fft.inverse(re, im, block, 0); spectral = false; }
                        data.put(inputs.get(k), block.clone());
                        shapes.put(inputs.get(k), new long[] {1, 1, nFft});
                    }
                }
                for (ModelManifest.State state : s.states()) {
                    data.put(state.input(), states.get(k).get(state.input()));
                    shapes.put(state.input(), state.shape());
                }
                Map<String, float[]> r = om.run(data, shapes);
                framesRun++;
                for (ModelManifest.State state : s.states()) {
                    float[] next = r.get(state.output());
                    if (next == null || next.length != count(state.shape())) {
                        throw new StemroomException(om.file() + ": state output '" + state.output() + "' missing or of the "
                                + "wrong size (manifest shape " + OnnxModel.fmt(state.shape()) + ")");
                    }
                    states.get(k).put(state.input(), next);
                }
                float[] y = r.get(outputs.get(k));
                switch (s.kind()) {
                    case "complex-frame" -> {
                        for (int b = 0; b < bins; b++) { re[b] = y[2 * b]; im[b] = y[2 * b + 1]; }
                    }
                    case "magnitude-mask" -> {
                        for (int b = 0; b < bins; b++) { re[b] *= y[b]; im[b] *= y[b]; }
                    }
                    default -> System.arraycopy(y, 0, block, 0, nFft);
                }
            }
            if (lastIsBlock) {
                if (spectral) fft.inverse(re, im, block, 0);
                for (int i = 0; i < nFft; i++) ola[i] += block[i];
                System.arraycopy(ola, 0, out, written, hop);
                System.arraycopy(ola, hop, ola, 0, nFft - hop);
                java.util.Arrays.fill(ola, nFft - hop, nFft, 0f);
            } else {
                if (!spectral) fft.forward(block, re, im);
                syn.push(re, im, out, written);
            }
            written += hop;
        }
        return java.util.Arrays.copyOfRange(out, latency, latency + x.length);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public void close() {
        for (OnnxModel om : models) om.close();
    }
}
