package org.stemroom.separation.onnx;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.core.AudioClip;
import org.stemroom.core.AudioFormat;
import org.stemroom.core.StemroomException;
import org.stemroom.core.dsp.Resampler;
import org.stemroom.core.dsp.Spectrogram;
import org.stemroom.core.dsp.Stft;
import org.stemroom.core.dsp.Window;
import org.stemroom.separation.Separator;
import org.stemroom.separation.StemSet;

/**
 * A neural separator of the waveform, magnitude or complex family (see {@link ModelManifest.Family}) run through
 * ONNX Runtime. Pre- and post-processing live here, matching the manifest:
 * <ul>
 *   <li>input at another rate is resampled to the model's and the stems back (same length, aligned);</li>
 *   <li>a mono input to a stereo model is fed as two equal channels and the stems averaged back to mono; a stereo
 *       input to a mono model is separated channel by channel;</li>
 *   <li>waveform models: optional Demucs normalisation by the mono mixture's mean and standard deviation over the
 *       whole chunk handed to the separator ({@link #maxChunkSeconds()}: 5 minutes, so a normal song is normalised
 *       as a whole), segments overlapped and blended with triangular weights (as Demucs' {@code apply_model}),
 *       no random shifts;</li>
 *   <li>spectrogram models: our STFT (window, hop, centring and padding as declared), bins above {@code binsKept}
 *       cropped from the input and zero in the output (MDX), segments of {@code segmentFrames} frames overlapped
 *       and blended in the frame domain before one inverse STFT, so there are no time-domain seams;</li>
 *   <li>segments are batched {@code batch} at a time; the session is created once.</li>
 * </ul>
 */
public final class OnnxSeparator implements Separator, AutoCloseable {
    private final ModelManifest m;
    private final OnnxModel model;
    private final String in;
    private final String out;
    /** Rank of the model's declared output: 4 for one stem without a stem axis, 5 with one. */
    private int outputRank;

    public OnnxSeparator(ModelManifest manifest) throws StemroomException {
        if (manifest.family == ModelManifest.Family.STATEFUL) {
            throw new StemroomException(manifest.file + ": stateful models run through StatefulOnnxSeparator");
        }
        if (manifest.prior != null) {
            throw new StemroomException(manifest.file + ": hybrid models (prior '" + manifest.prior + "') run through HybridSeparator");
        }
        this.m = manifest;
        this.model = new OnnxModel(manifest.model, manifest.sha256, manifest.intraOpThreads, manifest.arena, manifest.file);
        try {
            this.in = manifest.inputName != null ? manifest.inputName : model.firstInput();
            this.out = manifest.outputName != null ? manifest.outputName : model.firstOutput();
            checkShapes();
            outputRank = model.outputShape(out).length;
        } catch (StemroomException e) {
            model.close();
            throw e;
        }
    }

    public static Separator load(java.nio.file.Path manifest) throws StemroomException {
        ModelManifest mf = ModelManifest.read(manifest);
        if (mf.prior != null) return new HybridSeparator(mf);
        return mf.family == ModelManifest.Family.STATEFUL ? new StatefulOnnxSeparator(mf) : new OnnxSeparator(mf);
    }

    private void checkShapes() throws StemroomException {
        int s = m.stems.size(), c = m.channels;
        switch (m.family) {
            case WAVEFORM -> {
                long seg = segmentSamples();
                model.expectShape("input", in, new long[] {-1, c, seg}, "([batch, channels=" + c + ", segment samples="
                        + seg + "] from channels, segmentSeconds and sampleRate)");
                model.expectShape("output", out, new long[] {-1, s, c, seg}, "([batch, stems=" + s + ", channels=" + c
                        + ", segment samples=" + seg + "] from stems, channels, segmentSeconds and sampleRate)");
            }
            case MAGNITUDE -> {
                model.expectShape("input", in, new long[] {-1, c, m.binsKept, m.segmentFrames}, "([batch, channels="
                        + c + ", bins=" + m.binsKept + ", frames=" + m.segmentFrames + "] from channels, stft.binsKept, "
                        + "segmentFrames)");
                if (model.outputShape(out).length == 4 && s == 1) {
                    // one target per model, as Open-Unmix exports: [batch, channels, bins, frames]
                    model.expectShape("output", out, new long[] {-1, c, m.binsKept, m.segmentFrames}, "(one stem)");
                } else {
                    model.expectShape("output", out, new long[] {-1, s, c, m.binsKept, m.segmentFrames}, "([batch, stems="
                            + s + ", channels=" + c + ", bins, frames])");
                }
            }
            case COMPLEX -> {
                model.expectShape("input", in, new long[] {-1, 2L * c, m.binsKept, m.segmentFrames}, "([batch, 2*channels="
                        + 2 * c + ", bins=" + m.binsKept + ", frames=" + m.segmentFrames + "] from channels, "
                        + "stft.binsKept, segmentFrames)");
                long[] os = model.outputShape(out);
                if (os.length == 4 && s == 1) {
                    model.expectShape("output", out, new long[] {-1, 2L * c, m.binsKept, m.segmentFrames}, "(one stem)");
                } else {
                    model.expectShape("output", out, new long[] {-1, s, 2L * c, m.binsKept, m.segmentFrames},
                            "([batch, stems=" + s + ", 2*channels, bins, frames])");
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private int segmentSamples() {
        return (int) Math.round(m.segmentSeconds * m.sampleRate);
    }

    @Override
    public String name() { return "model:" + m.name; }

    @Override
    public List<String> stemNames() { return m.outputStems(); }

    @Override
    public double maxChunkSeconds() { return m.family == ModelManifest.Family.WAVEFORM ? 300 : 60; }

    @Override
    public double chunkOverlapSeconds() { return 2; }

    public ModelManifest manifest() { return m; }

    /** The session (for run-time statistics). */
    public OnnxModel model() { return model; }

    @Override
    public StemSet separate(AudioClip mixture) throws StemroomException {
        AudioClip x = mixture.sampleRate() == m.sampleRate ? mixture : Resampler.resample(mixture, m.sampleRate);
        int ch = x.channels();
        List<float[][]> stems; // per model stem: [ch][len]
        if (ch == m.channels) {
            stems = separateModelChannels(x.samples());
        } else if (ch == 1 && m.channels == 2) {
            List<float[][]> st = separateModelChannels(new float[][] {x.channel(0), x.channel(0)});
            stems = new java.util.ArrayList<>();
            for (float[][] s : st) {
                float[] mono = new float[x.frames()];
                for (int i = 0; i < mono.length; i++) mono[i] = 0.5f * (s[0][i] + s[1][i]);
                stems.add(new float[][] {mono});
            }
        } else if (m.channels == 1) {
            stems = new java.util.ArrayList<>();
            for (int k = 0; k < m.stems.size(); k++) stems.add(new float[ch][]);
            for (int c = 0; c < ch; c++) {
                List<float[][]> st = separateModelChannels(new float[][] {x.channel(c)});
                for (int k = 0; k < st.size(); k++) stems.get(k)[c] = st.get(k)[0];
            }
        } else {
            throw new StemroomException(m.file + ": model takes " + m.channels + " channels, input has " + ch);
        }
        StemSet set = new StemSet(mixture.format(), mixture.frames());
        for (int k = 0; k < m.stems.size(); k++) {
            float[][] d = stems.get(k);
            if (m.outputGain != 1.0) for (float[] c : d) for (int i = 0; i < c.length; i++) c[i] *= (float) m.outputGain;
            if (x != mixture) {
                d = Resampler.resample(new AudioClip(x.format(), d), mixture.sampleRate()).samples();
                d = fitLength(d, mixture.frames());
            }
            set.put(m.stems.get(k), d);
        }
        if (m.complementStem != null) {
            float[][] rest = new float[mixture.channels()][mixture.frames()];
            for (int c = 0; c < rest.length; c++) {
                float[][] stemCh = new float[m.stems.size()][];
                for (int k = 0; k < stemCh.length; k++) stemCh[k] = set.get(m.stems.get(k)).channel(c);
                float[] mix = mixture.channel(c), r = rest[c];
                for (int i = 0; i < r.length; i++) {
                    double v = mix[i];
                    for (float[] st : stemCh) v -= st[i];
                    r[i] = (float) v;
                }
            }
            set.put(m.complementStem, rest);
        }
        return set;
    }

    private static float[][] fitLength(float[][] d, int len) {
        float[][] o = new float[d.length][];
        for (int c = 0; c < d.length; c++) o[c] = java.util.Arrays.copyOf(d[c], len);
        return o;
    }

    /** Separates channels already matching the model's channel count and rate. */
    private List<float[][]> separateModelChannels(float[][] x) throws StemroomException {
        return m.family == ModelManifest.Family.WAVEFORM ? waveform(x) : spectral(x);
    }

    // ------------------------------------------------------------------ waveform family

    private List<float[][]> waveform(float[][] x) throws StemroomException {
        int c = x.length, len = x[0].length, s = m.stems.size();
        double mean = 0, std = 1;
        float[][] xn = x;
        if (m.normalize.equals("track-mono-meanstd")) {
            double sum = 0, sq = 0;
            for (int i = 0; i < len; i++) {
                double v = 0;
                for (float[] ch : x) v += ch[i];
                v /= c;
                sum += v;
                sq += v * v;
            }
            mean = sum / Math.max(1, len);
            // torch.std is the unbiased estimate
            std = Math.sqrt(Math.max(0, (sq - len * mean * mean) / Math.max(1, len - 1)));
            std = std + 1e-8;
            xn = new float[c][len];
            for (int k = 0; k < c; k++) for (int i = 0; i < len; i++) xn[k][i] = (float) ((x[k][i] - mean) / std);
        }
        int seg = segmentSamples();
        int stride = Math.max(1, (int) Math.round(seg * (1 - m.overlap)));
        float[] w = triangle(seg);
        double[][][] acc = new double[s][c][len];
        double[] wsum = new double[len];
        List<Integer> offsets = offsets(len, seg, stride);
        int b = m.batch;
        for (int i0 = 0; i0 < offsets.size(); i0 += b) {
            int nb = Math.min(b, offsets.size() - i0);
            float[] input = new float[nb * c * seg];
            for (int j = 0; j < nb; j++) {
                int off = offsets.get(i0 + j);
                int n = Math.min(seg, len - off);
                for (int k = 0; k < c; k++) System.arraycopy(xn[k], off, input, (j * c + k) * seg, n);
            }
            Map<String, long[]> shapes = new HashMap<>();
            shapes.put(in, new long[] {nb, c, seg});
            float[] y = runChecked(input, shapes, (long) nb * s * c * seg);
            for (int j = 0; j < nb; j++) {
                int off = offsets.get(i0 + j);
                int n = Math.min(seg, len - off);
                for (int st = 0; st < s; st++) {
                    for (int k = 0; k < c; k++) {
                        int base = ((j * s + st) * c + k) * seg;
                        double[] a = acc[st][k];
                        for (int t = 0; t < n; t++) a[off + t] += w[t] * y[base + t];
                    }
                }
                for (int t = 0; t < n; t++) wsum[off + t] += w[t];
            }
        }
        List<float[][]> outStems = new java.util.ArrayList<>();
        for (int st = 0; st < s; st++) {
            float[][] d = new float[c][len];
            for (int k = 0; k < c; k++) {
                for (int i = 0; i < len; i++) d[k][i] = (float) (acc[st][k][i] / wsum[i] * std + mean);
            }
            outStems.add(d);
        }
        return outStems;
    }

    private float[] runChecked(float[] input, Map<String, long[]> shapes, long expected) throws StemroomException {
        Map<String, float[]> data = new LinkedHashMap<>();
        data.put(in, input);
        Map<String, float[]> r = model.run(data, shapes);
        float[] y = r.get(out);
        if (y == null) throw new StemroomException(model.file() + ": model produced no output '" + out + "'");
        if (y.length != expected) {
            throw new StemroomException(model.file() + ": model output '" + out + "' has shape "
                    + OnnxModel.fmt(shapes.get(out)) + " (" + y.length + " values) but the manifest implies " + expected
                    + " values (check stems, channels and segment settings)");
        }
        return y;
    }

    /** Segment starts covering [0, len): every stride, the last one ending at or after len. */
    static List<Integer> offsets(int len, int seg, int stride) {
        List<Integer> o = new java.util.ArrayList<>();
        for (int off = 0; ; off += stride) {
            o.add(off);
            if (off + seg >= len) break;
        }
        return o;
    }

    /** Demucs' segment weight: a triangle rising from 1/(n/2) to 1 and back, never zero inside the segment. */
    static float[] triangle(int n) {
        float[] w = new float[n];
        int half = n / 2;
        for (int i = 0; i < n; i++) w[i] = (i < half ? i + 1 : n - i) / (float) Math.max(1, Math.max(half, n - half));
        return w;
    }

    // ------------------------------------------------------------------ spectrogram families

    private Stft stft() {
        float[] win = switch (m.window) {
            case "sqrt-hann" -> Window.sqrtHann(m.nFft);
            case "rect" -> ones(m.nFft);
            default -> Window.hann(m.nFft);
        };
        return new Stft(m.nFft, m.hop, win);
    }

    static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    /**
     * Tile of the (frame x bin) transposes between our spectra and the model's [bins][frames] tensors: 16 frames fill
     * one 64-byte line of a tensor row; 16 bins keep the lines a tile touches (segF floats apart, so in a few cache
     * sets; twice as many for re and im) within the L1 cache's associativity. 64 bins evicted their own lines.
     */
    private static final int TILE_T = 16, TILE_B = 16;

    /**
     * Working memory of the spectrogram families, kept from call to call (the {@link Separator} contract allows it):
     * the STFTs (their FFT tables and overlap-add accumulators), the spectrograms, the tensors' staging arrays and
     * the direct buffers ONNX Runtime reads and writes. Allocating these per call (tens to hundreds of MB) used to
     * cost more CPU in zeroing, page faults and garbage collection than the transforms themselves.
     */
    private Stft[] stfts = new Stft[0];
    private Spectrogram[] mixSpec = new Spectrogram[0];
    private Spectrogram[][] stemSpec = new Spectrogram[0][0];
    private float[] inStage = new float[0];
    private float[] outStage = new float[0];
    private java.nio.FloatBuffer inDirect;
    private java.nio.FloatBuffer outDirect;

    /** One STFT per parallel job (an STFT owns FFT scratch and is not thread-safe). */
    private Stft stftFor(int job) {
        if (job >= stfts.length) stfts = java.util.Arrays.copyOf(stfts, job + 1);
        if (stfts[job] == null) stfts[job] = stft();
        return stfts[job];
    }

    private static Spectrogram reuse(Spectrogram s, int frames, int bins) {
        return s != null && s.frames() == frames && s.bins() == bins ? s : new Spectrogram(frames, bins);
    }

    private List<float[][]> spectral(float[][] x) throws StemroomException {
        int c = x.length, len = x[0].length, s = m.stems.size();
        boolean complex = m.family == ModelManifest.Family.COMPLEX;
        boolean mask = m.outputKind.equals("mask");
        Stft.Padding pad = m.padding.equals("reflect") && len > m.nFft / 2 ? Stft.Padding.REFLECT : Stft.Padding.ZERO;
        int jobs = Math.max(c, s * c);
        for (int j = 0; j < jobs; j++) stftFor(j);
        int frames = stfts[0].frameCount(len), bins = stfts[0].bins(), kept = m.binsKept, segF = m.segmentFrames;
        if (mixSpec.length != c) mixSpec = new Spectrogram[c];
        for (int k = 0; k < c; k++) mixSpec[k] = reuse(mixSpec[k], frames, bins);
        if (stemSpec.length != s || stemSpec[0].length != c) stemSpec = new Spectrogram[s][c];
        for (int st = 0; st < s; st++) for (int k = 0; k < c; k++) stemSpec[st][k] = reuse(stemSpec[st][k], frames, bins);
        final Spectrogram[] X = mixSpec;
        final Spectrogram[][] Y = stemSpec;
        // channels in parallel, each with its own STFT (FFT scratch); the same bits whatever the thread count
        org.stemroom.separation.ParallelFor.run(c, k -> stfts[k].analyze(x[k], pad, X[k]));
        // the blend accumulates into the stems' spectrograms: clear the bins it writes (those above binsKept stay 0)
        org.stemroom.separation.ParallelFor.run(s * c, job -> {
            Spectrogram sp = Y[job / c][job % c];
            for (int f = 0; f < frames; f++) {
                java.util.Arrays.fill(sp.re(f), 0, kept, 0f);
                java.util.Arrays.fill(sp.im(f), 0, kept, 0f);
            }
        });
        int stride = Math.max(1, (int) Math.round(segF * (1 - m.overlap)));
        float[] w = triangle(segF);
        double[] wsum = new double[frames];
        List<Integer> offsets = offsets(frames, segF, stride);
        int inCh = complex ? 2 * c : c;
        int outCh = inCh;
        int plane = kept * segF;
        boolean oneStemOutput = outputRank == 4;
        for (int i0 = 0; i0 < offsets.size(); i0 += m.batch) {
            int nb = Math.min(m.batch, offsets.size() - i0);
            int inN = nb * inCh * plane, outN = nb * s * outCh * plane;
            if (inStage.length < inN) inStage = new float[inN];
            if (outStage.length < outN) outStage = new float[outN];
            final float[] in = inStage;
            final float[] y = outStage;
            final int first = i0;
            // pack: our [frame][bin] rows into the model's [bin][frame] planes, tile by tile (cache-blocked
            // transpose), one (segment, channel) plane pair per job; frames past the end of a short last segment are 0
            org.stemroom.separation.ParallelFor.run(nb * c, job -> {
                int j = job / c, k = job % c;
                int off = offsets.get(first + j), n = Math.min(segF, frames - off);
                int planeRe = ((j * inCh) + (complex ? 2 * k : k)) * plane;
                int planeIm = planeRe + plane;
                if (n < segF) {
                    java.util.Arrays.fill(in, planeRe, planeRe + plane, 0f);
                    if (complex) java.util.Arrays.fill(in, planeIm, planeIm + plane, 0f);
                }
                for (int t0 = 0; t0 < n; t0 += TILE_T) {
                    int t1 = Math.min(n, t0 + TILE_T);
                    for (int b0 = 0; b0 < kept; b0 += TILE_B) {
                        int b1 = Math.min(kept, b0 + TILE_B);
                        for (int t = t0; t < t1; t++) {
                            float[] re = X[k].re(off + t), im = X[k].im(off + t);
                            if (complex) {
                                for (int b = b0; b < b1; b++) {
                                    in[planeRe + b * segF + t] = re[b];
                                    in[planeIm + b * segF + t] = im[b];
                                }
                            } else {
                                for (int b = b0; b < b1; b++) {
                                    in[planeRe + b * segF + t] = (float) Math.sqrt((double) re[b] * re[b] + (double) im[b] * im[b]);
                                }
                            }
                        }
                    }
                }
            });
            inDirect = OnnxModel.directFloats(inDirect, inN);
            inDirect.put(in, 0, inN).flip();
            outDirect = OnnxModel.directFloats(outDirect, outN);
            long[] inShape = {nb, inCh, kept, segF};
            long[] outShape = oneStemOutput ? new long[] {nb, outCh, kept, segF} : new long[] {nb, s, outCh, kept, segF};
            model.runDirect(this.in, inDirect, inShape, out, outDirect, outShape);
            outDirect.get(y, 0, outN);
            // unpack and blend: the channels' accumulators are disjoint, one channel per job, segments in order
            org.stemroom.separation.ParallelFor.run(c, k -> {
                for (int j = 0; j < nb; j++) {
                    int off = offsets.get(first + j), n = Math.min(segF, frames - off);
                    for (int st = 0; st < s; st++) {
                        int planeRe = (((j * s) + st) * outCh + (complex ? 2 * k : k)) * plane;
                        int planeIm = planeRe + plane;
                        for (int t0 = 0; t0 < n; t0 += TILE_T) {
                            int t1 = Math.min(n, t0 + TILE_T);
                            for (int b0 = 0; b0 < kept; b0 += TILE_B) {
                                int b1 = Math.min(kept, b0 + TILE_B);
                                for (int t = t0; t < t1; t++) {
                                    float wt = w[t];
                                    float[] xr = X[k].re(off + t), xi = X[k].im(off + t);
                                    float[] yr = Y[st][k].re(off + t), yi = Y[st][k].im(off + t);
                                    if (complex) {
                                        for (int b = b0; b < b1; b++) {
                                            yr[b] += wt * y[planeRe + b * segF + t];
                                            yi[b] += wt * y[planeIm + b * segF + t];
                                        }
                                    } else if (mask) {
                                        for (int b = b0; b < b1; b++) {
                                            float v = y[planeRe + b * segF + t];
                                            yr[b] += wt * (v * xr[b]);
                                            yi[b] += wt * (v * xi[b]);
                                        }
                                    } else {
                                        for (int b = b0; b < b1; b++) {
                                            float v = y[planeRe + b * segF + t];
                                            double mag = Math.sqrt((double) xr[b] * xr[b] + (double) xi[b] * xi[b]);
                                            yr[b] += wt * (mag > 0 ? (float) (v * xr[b] / mag) : 0f);
                                            yi[b] += wt * (mag > 0 ? (float) (v * xi[b] / mag) : 0f);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            });
            for (int j = 0; j < nb; j++) {
                int off = offsets.get(i0 + j), n = Math.min(segF, frames - off);
                for (int t = 0; t < n; t++) wsum[off + t] += w[t];
            }
        }
        List<float[][]> result = new java.util.ArrayList<>();
        for (int st = 0; st < s; st++) result.add(new float[c][]);
        // normalise the blend and synthesise every (stem, channel) in parallel, each with its own STFT
        org.stemroom.separation.ParallelFor.run(s * c, job -> {
            int st = job / c, k = job % c;
            Spectrogram sp = Y[st][k];
            for (int f = 0; f < frames; f++) {
                float inv = (float) (1 / wsum[f]);
                float[] r = sp.re(f), i = sp.im(f);
                for (int b = 0; b < kept; b++) { r[b] *= inv; i[b] *= inv; }
            }
            result.get(st)[k] = stfts[job].synthesize(sp, len);
        });
        return result;
    }

    @Override
    public void close() { model.close(); }

    static AudioFormat formatOf(int rate, int ch) { return AudioFormat.of(rate, ch); }
}
