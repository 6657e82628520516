package org.stemroom.spatial;

/**
 * Atmospheric absorption of sound after ISO 9613-1:1993 (pure-tone attenuation coefficient from the
 * relaxation frequencies of oxygen and nitrogen), and the filter that stands in for it in the panner.
 *
 * <p><b>The filter.</b> The loss in dB over a path of d metres, d·alpha(f), grows about as f² through the audio
 * band (a little slower: the nitrogen term is past its relaxation frequency). One first-order low-pass follows
 * that only while its loss is small, then flattens to 6 dB/octave; matched at 8 kHz it missed the standard by
 * several dB at 16 kHz and 50 m. The panner's filter is a cascade of {@value #SECTIONS_PER_KIND} one-pole
 * sections {@code y = (1-a) x + a y[n-1]}, whose loss is {@code 10 log10(1 + Ks sin²(w/2))}, and
 * {@value #SECTIONS_PER_KIND} bilinear first-order low-passes, loss {@code 10 log10(1 + Kl tan²(w/2))}: for small
 * K both grow as w², one a little slower and one a little faster than f² near Nyquist, and with three of each the
 * saturation of each section's loss stays small. Ks and Kl are fitted (least squares in dB, Levenberg-Marquardt
 * in log K) to the ISO loss at the third-octave centres from 100 Hz to 16 kHz (those below 0.45 fs) on a grid of
 * distances (8 per doubling, 1 cm to 10 km), once per sample rate; between grid points log K is interpolated
 * linearly in log distance. Result at 20 °C / 50 % RH, tested: within 1 dB of d·alpha(f) at every third-octave
 * centre from 100 Hz to 16 kHz for 0.1 to 50 m at 32, 44.1, 48, 96 and 192 kHz (the fit's own residual is at most
 * about 0.55 dB there). {@link Fit#sections} gives the coefficients. Each section is stable for any K, and the panner's linear glide of the three section
 * coefficients between two designs keeps every pole inside the unit circle.
 */
public final class AirAbsorption {
    private static final double T0 = 293.15;   // reference temperature, K
    private static final double T01 = 273.16;  // triple point of water, K

    private final double temperatureK;
    private final double relativeHumidity;
    private final double pressureRatio;

    /** Air at 20 °C, 50 % relative humidity, 101.325 kPa. */
    public static final AirAbsorption STANDARD = new AirAbsorption(20, 50, 101.325);

    public AirAbsorption(double temperatureC, double relativeHumidityPercent, double pressureKPa) {
        this.temperatureK = temperatureC + 273.15;
        this.relativeHumidity = relativeHumidityPercent;
        this.pressureRatio = pressureKPa / 101.325;
    }

    /** ISO 9613-1 eq. (5): attenuation coefficient in dB per metre at frequency {@code f} Hz. */
    public double dbPerMetre(double f) {
        double t = temperatureK / T0;
        double c = -6.8346 * Math.pow(T01 / temperatureK, 1.261) + 4.6151;
        double h = relativeHumidity * Math.pow(10, c) / pressureRatio;          // molar concentration, %
        double frO = pressureRatio * (24 + 4.04e4 * h * (0.02 + h) / (0.391 + h));
        double frN = pressureRatio * Math.pow(t, -0.5)
                * (9 + 280 * h * Math.exp(-4.170 * (Math.pow(t, -1.0 / 3) - 1)));
        double f2 = f * f;
        return 8.686 * f2 * (1.84e-11 / pressureRatio * Math.sqrt(t)
                + Math.pow(t, -2.5) * (0.01275 * Math.exp(-2239.1 / temperatureK) / (frO + f2 / frO)
                + 0.1068 * Math.exp(-3352.0 / temperatureK) / (frN + f2 / frN)));
    }

    /** Sections of each kind in the panner's cascade. */
    public static final int SECTIONS_PER_KIND = 3;
    /** Distances of the fit grid: FIT_MIN_METRES x 2^(k / 8). */
    private static final double FIT_MIN_METRES = 0.01;
    private static final int FIT_PER_DOUBLING = 8;
    private static final int FIT_POINTS = 1 + 20 * FIT_PER_DOUBLING; // to about 10 km
    private static final double LOG_K_MAX = 60;
    private static final java.util.Map<Double, Fit> FITS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The panner's filter of this air at one sample rate: its fit table, made once per rate and shared (for
     * {@link #STANDARD}); call off the audio thread (the panner's prepare).
     */
    public Fit fit(double sampleRate) {
        if (this != STANDARD) return new Fit(fitTable(sampleRate));
        Fit f = FITS.get(sampleRate);
        if (f != null) return f;
        f = new Fit(fitTable(sampleRate));
        Fit earlier = FITS.putIfAbsent(sampleRate, f);
        return earlier != null ? earlier : f;
    }

    /** Fitted sections for any distance at one sample rate; immutable, {@link #sections} does not allocate. */
    public static final class Fit {
        private final double[] logKs;
        private final double[] logKl;

        private Fit(double[][] t) {
            this.logKs = t[0];
            this.logKl = t[1];
        }

        /**
         * The cascade for {@code metres} of air: writes {a, b0, b1, c} into {@code out}, where a is the pole of the
         * one-pole sections ({@code y = (1-a) x + a y[n-1]}) and the bilinear sections are
         * {@code y = b0 x + b1 x[n-1] - c y[n-1]}; {0, 1, 0, 0} is no filtering (metres <= 0).
         */
        public void sections(double metres, double[] out) {
            if (!(metres > 0)) {
                out[0] = 0;
                out[1] = 1;
                out[2] = 0;
                out[3] = 0;
                return;
            }
            double pos = Math.log(metres / FIT_MIN_METRES) / Math.log(2) * FIT_PER_DOUBLING;
            double ks;
            double kl;
            if (pos <= 0) {
                // below 1 cm the loss is proportional to the distance, and so are the K of nearly lossless sections
                double r = metres / FIT_MIN_METRES;
                ks = Math.exp(logKs[0]) * r;
                kl = Math.exp(logKl[0]) * r;
            } else {
                int i = Math.min(FIT_POINTS - 2, (int) pos);
                double f = Math.min(1, pos - i);
                ks = Math.exp(logKs[i] + f * (logKs[i + 1] - logKs[i]));
                kl = Math.exp(logKl[i] + f * (logKl[i + 1] - logKl[i]));
            }
            out[0] = ks / ((ks + 2) + 2 * Math.sqrt(ks + 1)); // from Ks = 4a / (1-a)², the root in [0, 1)
            if (kl < 1e-300) {
                out[1] = 1;
                out[2] = 0;
                out[3] = 0;
            } else {
                double wc = 1 / Math.sqrt(kl);
                out[1] = wc / (1 + wc);
                out[2] = out[1];
                out[3] = (wc - 1) / (wc + 1);
            }
        }
    }

    private double[][] fitTable(double fs) {
        int np = 0;
        double[] sinSq = new double[32];
        double[] tanSq = new double[32];
        double[] alpha = new double[32];
        for (int k = -10; k <= 12; k++) {
            double f = 1000 * Math.pow(2, k / 3.0);
            if (f > 0.45 * fs) break;
            double h = Math.PI * f / fs;
            sinSq[np] = Math.sin(h) * Math.sin(h);
            tanSq[np] = Math.tan(h) * Math.tan(h);
            alpha[np] = dbPerMetre(f);
            np++;
        }
        double[][] t = new double[2][FIT_POINTS];
        double[] target = new double[np];
        double[] x = null;
        for (int i = 0; i < FIT_POINTS; i++) {
            double d = FIT_MIN_METRES * Math.pow(2, i / (double) FIT_PER_DOUBLING);
            for (int p = 0; p < np; p++) target[p] = alpha[p] * d;
            x = fit(target, sinSq, tanSq, np, x);
            t[0][i] = x[0];
            t[1][i] = x[1];
        }
        return t;
    }

    /** Least squares in dB of the cascade's loss against {@code target}, from {@code start} (null: a small-loss guess). */
    private static double[] fit(double[] target, double[] s, double[] tn, int np, double[] start) {
        double n = SECTIONS_PER_KIND * 10 / Math.log(10);
        double[] x = new double[2];
        if (start != null) {
            x[0] = start[0];
            x[1] = start[1];
        } else {
            // small losses: n/ln10·10·(Ks s + Kl t) ≈ target at the top frequency, shared equally
            double k = target[np - 1] / (2 * n);
            x[0] = Math.log(Math.max(1e-30, k / s[np - 1]));
            x[1] = Math.log(Math.max(1e-30, k / tn[np - 1]));
        }
        double cost = cost(x[0], x[1], target, s, tn, np, n);
        double lambda = 1e-3;
        for (int it = 0; it < 200 && lambda < 1e12; it++) {
            double ks = Math.exp(x[0]);
            double kl = Math.exp(x[1]);
            double g0 = 0, g1 = 0, h00 = 0, h01 = 0, h11 = 0;
            for (int p = 0; p < np; p++) {
                double r = n * (Math.log1p(ks * s[p]) + Math.log1p(kl * tn[p])) - target[p];
                double j0 = n * ks * s[p] / (1 + ks * s[p]);
                double j1 = n * kl * tn[p] / (1 + kl * tn[p]);
                g0 += j0 * r;
                g1 += j1 * r;
                h00 += j0 * j0;
                h01 += j0 * j1;
                h11 += j1 * j1;
            }
            boolean improved = false;
            while (lambda < 1e12) {
                double a = h00 * (1 + lambda) + 1e-30;
                double d = h11 * (1 + lambda) + 1e-30;
                double det = a * d - h01 * h01;
                double dx0 = Math.max(-3, Math.min(3, -(g0 * d - g1 * h01) / det));
                double dx1 = Math.max(-3, Math.min(3, -(a * g1 - h01 * g0) / det));
                double n0 = Math.max(-LOG_K_MAX, Math.min(LOG_K_MAX, x[0] + dx0));
                double n1 = Math.max(-LOG_K_MAX, Math.min(LOG_K_MAX, x[1] + dx1));
                double c = cost(n0, n1, target, s, tn, np, n);
                if (c < cost) {
                    boolean done = cost - c <= 1e-14 * cost;
                    x[0] = n0;
                    x[1] = n1;
                    cost = c;
                    lambda = Math.max(lambda / 10, 1e-9);
                    improved = !done;
                    break;
                }
                lambda *= 10;
            }
            if (!improved) break;
        }
        return x;
    }

    private static double cost(double x0, double x1, double[] target, double[] s, double[] tn, int np, double n) {
        double ks = Math.exp(x0);
        double kl = Math.exp(x1);
        double c = 0;
        for (int p = 0; p < np; p++) {
            double r = n * (Math.log1p(ks * s[p]) + Math.log1p(kl * tn[p])) - target[p];
            c += r * r;
        }
        return c;
    }

    /** Magnitude in dB at {@code f} of the cascade {a, b0, b1, c} from {@link Fit#sections} (for tests and plots). */
    static double responseDb(double[] abc, double f, double sampleRate) {
        double w = 2 * Math.PI * f / sampleRate;
        double cos = Math.cos(w);
        double sin = Math.sin(w);
        double a = abc[0];
        // one-pole: (1-a) / (1 - a e^-jw)
        double onePole = (1 - a) * (1 - a) / ((1 - a * cos) * (1 - a * cos) + a * a * sin * sin);
        // first-order: (b0 + b1 e^-jw) / (1 + c e^-jw)
        double nr = abc[1] + abc[2] * cos;
        double ni = -abc[2] * sin;
        double dr = 1 + abc[3] * cos;
        double di = -abc[3] * sin;
        double bilinear = (nr * nr + ni * ni) / (dr * dr + di * di);
        return SECTIONS_PER_KIND * 10 * (Math.log10(onePole) + Math.log10(bilinear));
    }
}
