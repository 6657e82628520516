package org.stemroom.spatial;

/**
 * Atmospheric absorption of sound after ISO 9613-1:1993 (pure-tone attenuation coefficient from the
 * relaxation frequencies of oxygen and nitrogen), and the first-order low-pass that stands in for it in the
 * panner.
 *
 * <p>The attenuation in dB grows about as f² over the audio band, which a first-order low-pass also does well
 * below its corner. The filter is matched to the ISO attenuation exactly at {@link #fitFrequency} (8 kHz, or
 * 0.35 fs at low rates) and, at 20 °C / 50 % RH, stays within 1 dB of ISO 9613-1 at 1, 2, 4 and 8 kHz up to
 * 50 m (tested); beyond that the real loss falls off faster than a first-order slope.
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

    /** Frequency at which the low-pass matches the ISO attenuation exactly. */
    public static double fitFrequency(double sampleRate) {
        return Math.min(8000, 0.35 * sampleRate);
    }

    /**
     * Coefficients {b0, b1, a1} of {@code y[n] = b0 x[n] + b1 x[n-1] - a1 y[n-1]} for the loss over
     * {@code metres} beyond the reference distance, written into {@code out}. Does not allocate.
     */
    public void lowPass(double metres, double sampleRate, double[] out) {
        double f = fitFrequency(sampleRate);
        double db = dbPerMetre(f) * Math.max(0, metres);
        if (db < 1e-3) {
            out[0] = 1;
            out[1] = 0;
            out[2] = 0;
            return;
        }
        // bilinear transform with the analogue corner set so that |H| at f is exactly -db
        double wc = Math.tan(Math.PI * f / sampleRate) / Math.sqrt(Math.pow(10, db / 10) - 1);
        double b = wc / (1 + wc);
        out[0] = b;
        out[1] = b;
        out[2] = (wc - 1) / (wc + 1);
    }

    /** Magnitude in dB of the first-order section {b0, b1, a1} at {@code f}. */
    static double responseDb(double[] c, double f, double sampleRate) {
        double w = 2 * Math.PI * f / sampleRate;
        double nr = c[0] + c[1] * Math.cos(w);
        double ni = -c[1] * Math.sin(w);
        double dr = 1 + c[2] * Math.cos(w);
        double di = -c[2] * Math.sin(w);
        return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
    }
}
