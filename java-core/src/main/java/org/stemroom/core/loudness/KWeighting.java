package org.stemroom.core.loudness;

import org.stemroom.core.dsp.Biquad;
import org.stemroom.core.dsp.BiquadCascade;

/**
 * The K-weighting pre-filter of ITU-R BS.1770-4 for any sample rate: a high shelf of about +4 dB above 1.5 kHz
 * (the head's acoustic effect) followed by the RLB high pass (revised low-frequency B curve).
 *
 * <p>BS.1770 tabulates coefficients for 48 kHz only. They are the bilinear transform of analog prototypes whose
 * parameters (centre frequency, gain, Q, shelf balance) can be recovered from that table; re-applying the
 * bilinear transform with those parameters at another rate gives the same analog response there. At 48 kHz
 * the result equals the BS.1770 table to 1e-8 (tested).
 */
public final class KWeighting {
    // Analog prototype parameters recovered from the BS.1770-4 48 kHz coefficients.
    static final double SHELF_F0 = 1681.974450955533;
    static final double SHELF_GAIN_DB = 3.999843853973347;
    static final double SHELF_Q = 0.7071752369554196;
    static final double SHELF_BALANCE = 0.4996667741545416; // exponent of the band gain Vb = Vh^x
    static final double RLB_F0 = 38.13547087602444;
    static final double RLB_Q = 0.5003270373238773;

    private KWeighting() { }

    /** Stage 1, the high-shelf pre-filter. */
    public static Biquad shelf(double fs) {
        double k = Math.tan(Math.PI * SHELF_F0 / fs);
        double vh = Math.pow(10, SHELF_GAIN_DB / 20);
        double vb = Math.pow(vh, SHELF_BALANCE);
        double a0 = 1 + k / SHELF_Q + k * k;
        return new Biquad(vh + vb * k / SHELF_Q + k * k, 2 * (k * k - vh), vh - vb * k / SHELF_Q + k * k,
                a0, 2 * (k * k - 1), 1 - k / SHELF_Q + k * k);
    }

    /** Stage 2, the RLB high pass. Numerator 1, -2, 1 as in BS.1770 (not normalised by a0, like the table). */
    public static Biquad rlb(double fs) {
        double k = Math.tan(Math.PI * RLB_F0 / fs);
        double a0 = 1 + k / RLB_Q + k * k;
        return new Biquad(a0, -2 * a0, a0, a0, 2 * (k * k - 1), 1 - k / RLB_Q + k * k);
    }

    /** Both stages, for one channel. */
    public static BiquadCascade filter(double fs) {
        return new BiquadCascade(shelf(fs), rlb(fs));
    }
}
