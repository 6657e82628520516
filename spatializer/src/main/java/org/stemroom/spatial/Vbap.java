package org.stemroom.spatial;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Vector base amplitude panning (Pulkki, "Virtual sound source positioning using vector base amplitude
 * panning", JAES 45(6), 1997): a source direction is written as a non-negative combination of the unit
 * vectors of two (horizontal layouts) or three (layouts with height) adjacent loudspeakers, and the
 * coefficients, normalised by the {@link PanLaw}, are the speaker gains.
 *
 * <p>Horizontal layouts: pairs of neighbouring speakers less than 180° apart. Directions outside every pair
 * (behind a front-only layout such as stereo or LCR) are mirrored to the front (azimuth {@code 180 - az},
 * keeping their left/right position) and, if still outside, go to the nearest speaker. Elevation is ignored.
 *
 * <p>Layouts with height: triangles of the convex hull of the speaker directions, chosen greedily shortest
 * first without overlaps (as Pulkki's triangulation does). A virtual speaker at the zenith (when no real one is
 * above 60°) is added and its gain shared in power between the speakers of its triangles; a virtual speaker at
 * the nadir (when none is below -45°) closes the hull and its gain is dropped, so a source below the
 * ear-level ring is panned on the ring.
 *
 * <p>{@link #gains} does not allocate. An instance holds scratch memory: one per thread.
 */
public final class Vbap {
    private static final double EPS = 1e-9;

    private final SpeakerLayout layout;
    private final PanLaw law;
    private final int channels;
    private final boolean threeD;
    // 2-D: pairs of channel indices with the inverse of [[x1 y1][x2 y2]]
    private final int[][] pairs;
    private final double[][] pairInv;
    private int singleChannel = -1;
    private final int[] ringChannels;
    private final double[] ringAz;
    // 3-D: triangles over points (channel indices; -1 = virtual zenith, -2 = virtual nadir)
    private final int[][] triangles;
    private final double[][] triInv;
    private final int[] zenithNeighbours;
    private final double[] scratch;

    public Vbap(SpeakerLayout layout, PanLaw law) {
        this.layout = layout;
        this.law = law;
        this.channels = layout.channelCount();
        this.scratch = new double[channels];
        List<Integer> mains = new ArrayList<>();
        for (int i = 0; i < channels; i++) if (!layout.position(i).isLfe()) mains.add(i);
        if (mains.isEmpty()) throw new IllegalArgumentException("layout " + layout.name() + " has no main speakers");
        this.threeD = layout.hasHeight() && mains.size() >= 3;
        ringChannels = mains.stream().mapToInt(Integer::intValue).toArray();
        ringAz = new double[ringChannels.length];
        for (int i = 0; i < ringChannels.length; i++) ringAz[i] = layout.position(ringChannels[i]).azimuthDegrees();
        if (!threeD) {
            triangles = new int[0][];
            triInv = new double[0][];
            zenithNeighbours = new int[0];
            if (mains.size() == 1) {
                singleChannel = mains.get(0);
                pairs = new int[0][];
                pairInv = new double[0][];
                return;
            }
            List<Integer> sorted = new ArrayList<>(mains);
            sorted.sort(Comparator.comparingDouble(c -> layout.position(c).azimuthDegrees()));
            List<int[]> ps = new ArrayList<>();
            List<double[]> inv = new ArrayList<>();
            for (int k = 0; k < sorted.size(); k++) {
                int a = sorted.get(k);
                int b = sorted.get((k + 1) % sorted.size());
                if (a == b) continue;
                double gap = layout.position(b).azimuthDegrees() - layout.position(a).azimuthDegrees();
                if (gap <= 0) gap += 360;
                if (gap >= 179.999 || gap < 1e-6) continue;
                double[] va = layout.position(a).unitVectorHorizontal();
                double[] vb = layout.position(b).unitVectorHorizontal();
                double det = va[0] * vb[1] - va[1] * vb[0];
                ps.add(new int[] {a, b});
                inv.add(new double[] {vb[1] / det, -va[1] / det, -vb[0] / det, va[0] / det});
            }
            pairs = ps.toArray(new int[0][]);
            pairInv = inv.toArray(new double[0][]);
            return;
        }
        pairs = new int[0][];
        pairInv = new double[0][];
        List<double[]> pts = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        boolean hasTop = false;
        boolean hasBottom = false;
        for (int c : mains) {
            pts.add(layout.position(c).unitVector());
            ids.add(c);
            hasTop |= layout.position(c).elevationDegrees() > 60;
            hasBottom |= layout.position(c).elevationDegrees() < -45;
        }
        if (!hasTop) { pts.add(new double[] {0, 0, 1}); ids.add(-1); }
        if (!hasBottom) { pts.add(new double[] {0, 0, -1}); ids.add(-2); }
        List<int[]> faces = hullFaces(pts);
        faces.sort(Comparator.comparingDouble(f -> perimeter(pts, f)));
        List<int[]> chosen = new ArrayList<>();
        for (int[] f : faces) {
            boolean overlaps = false;
            for (int[] g : chosen) {
                if (overlap(pts, f, g)) { overlaps = true; break; }
            }
            if (!overlaps) chosen.add(f);
        }
        triangles = new int[chosen.size()][];
        triInv = new double[chosen.size()][];
        List<Integer> zn = new ArrayList<>();
        for (int t = 0; t < chosen.size(); t++) {
            int[] f = chosen.get(t);
            triangles[t] = new int[] {ids.get(f[0]), ids.get(f[1]), ids.get(f[2])};
            triInv[t] = invert3(pts.get(f[0]), pts.get(f[1]), pts.get(f[2]));
            for (int c : triangles[t]) {
                boolean withZenith = triangles[t][0] == -1 || triangles[t][1] == -1 || triangles[t][2] == -1;
                if (withZenith && c >= 0 && !zn.contains(c)) zn.add(c);
            }
        }
        zenithNeighbours = zn.stream().mapToInt(Integer::intValue).toArray();
    }

    public SpeakerLayout layout() { return layout; }
    public PanLaw panLaw() { return law; }

    /** Triangles in use (channel indices; -1 the virtual zenith, -2 the virtual nadir); empty for 2-D. */
    int[][] triangles() { return triangles; }

    /**
     * Writes the gain of every channel (0 for LFE and unused speakers) for a source at the given direction
     * into {@code out[0..channels)}. Angles in degrees, azimuth positive to the left.
     */
    public void gains(double azimuthDegrees, double elevationDegrees, double[] out) {
        for (int i = 0; i < channels; i++) out[i] = 0;
        if (singleChannel >= 0) {
            out[singleChannel] = 1;
            return;
        }
        if (!threeD) {
            double az = SpeakerLayout.wrapDegrees(azimuthDegrees);
            if (!pan2d(az, out) && !pan2d(SpeakerLayout.wrapDegrees(180 - az), out)) nearest(az, out);
            spreadElevation(elevationDegrees, out);
        } else {
            double el = Math.max(-90, Math.min(90, elevationDegrees));
            if (!pan3d(azimuthDegrees, el, out)
                    && !pan3d(180 - azimuthDegrees, el, out)) nearest(SpeakerLayout.wrapDegrees(azimuthDegrees), out);
        }
        law.normalise(out, channels);
    }

    /**
     * Elevation on a layout without height speakers. A source above (or below) the listener has no speaker to go
     * to, and dropping its elevation would put an overhead sound on the horizon at its azimuth. Instead it keeps
     * its azimuth and a growing part of its power is spread evenly over all main speakers, as the virtual zenith
     * of the 3-D layouts does for the speakers around it: {@code g_i² -> cos²(el) g_i² + sin²(el) / N}. Straight
     * overhead (±90°) the source plays from every main speaker at the same level whatever its azimuth; the power
     * sum is unchanged (constant power at every elevation with the -3 dB law; the other laws renormalise).
     * The LFE never takes part. Does not allocate.
     */
    private void spreadElevation(double elevationDegrees, double[] out) {
        double el = Math.max(-90, Math.min(90, elevationDegrees));
        if (el == 0 || ringChannels.length < 2) return;
        double s = Math.sin(Math.toRadians(el));
        double up = s * s;
        double even = up / ringChannels.length;
        double power = 0; // the pair's raw VBAP gains, brought to unit power before the two parts are added
        for (int c : ringChannels) power += out[c] * out[c];
        double keep = power > 0 ? (1 - up) / power : 0;
        for (int c : ringChannels) out[c] = Math.sqrt(keep * out[c] * out[c] + even);
    }

    private boolean pan2d(double azDeg, double[] out) {
        double a = Math.toRadians(azDeg);
        double px = Math.cos(a);
        double py = Math.sin(a);
        for (int k = 0; k < pairs.length; k++) {
            double[] m = pairInv[k];
            double g1 = px * m[0] + py * m[2];
            double g2 = px * m[1] + py * m[3];
            if (g1 >= -EPS && g2 >= -EPS) {
                out[pairs[k][0]] = Math.max(0, g1);
                out[pairs[k][1]] = Math.max(0, g2);
                return true;
            }
        }
        return false;
    }

    private boolean pan3d(double azDeg, double elDeg, double[] out) {
        double az = Math.toRadians(azDeg);
        double el = Math.toRadians(elDeg);
        double px = Math.cos(el) * Math.cos(az);
        double py = Math.cos(el) * Math.sin(az);
        double pz = Math.sin(el);
        for (int t = 0; t < triangles.length; t++) {
            double[] m = triInv[t];
            double g0 = px * m[0] + py * m[3] + pz * m[6];
            double g1 = px * m[1] + py * m[4] + pz * m[7];
            double g2 = px * m[2] + py * m[5] + pz * m[8];
            if (g0 >= -EPS && g1 >= -EPS && g2 >= -EPS) {
                int[] tri = triangles[t];
                double zenith = put(tri[0], g0, out) + put(tri[1], g1, out) + put(tri[2], g2, out);
                if (zenith > 0) {
                    double share = zenith * zenith / zenithNeighbours.length;
                    for (int c : zenithNeighbours) out[c] = Math.sqrt(out[c] * out[c] + share);
                }
                for (int i = 0; i < channels; i++) if (out[i] > 0) return true;
                // only the virtual nadir: fall through to the next triangle sharing the direction
            }
        }
        return false;
    }

    /** Stores a real speaker's gain; returns the gain when the point is the virtual zenith, else 0. */
    private static double put(int channel, double g, double[] out) {
        double v = Math.max(0, g);
        if (channel >= 0) {
            out[channel] = v;
            return 0;
        }
        return channel == -1 ? v : 0;
    }

    private void nearest(double azDeg, double[] out) {
        int best = ringChannels[0];
        double bestDist = Double.MAX_VALUE;
        for (int i = 0; i < ringChannels.length; i++) {
            double d = Math.abs(SpeakerLayout.wrapDegrees(azDeg - ringAz[i]));
            if (d < bestDist - 1e-9) { bestDist = d; best = ringChannels[i]; }
        }
        out[best] = 1;
    }

    // --- triangulation helpers (construction only) ---

    private static List<int[]> hullFaces(List<double[]> p) {
        List<int[]> faces = new ArrayList<>();
        int n = p.size();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                for (int k = j + 1; k < n; k++) {
                    double[] nrm = cross(sub(p.get(j), p.get(i)), sub(p.get(k), p.get(i)));
                    double len = Math.sqrt(dot(nrm, nrm));
                    if (len < 1e-9) continue;
                    double d = dot(nrm, p.get(i));
                    if (Math.abs(d) / len < 1e-6) continue; // plane through the listener: not a usable base
                    boolean pos = false;
                    boolean neg = false;
                    for (int m = 0; m < n; m++) {
                        if (m == i || m == j || m == k) continue;
                        double s = (dot(nrm, p.get(m)) - d) / len;
                        if (s > 1e-7) pos = true;
                        if (s < -1e-7) neg = true;
                    }
                    if (!(pos && neg)) faces.add(new int[] {i, j, k});
                }
            }
        }
        return faces;
    }

    private static double perimeter(List<double[]> p, int[] f) {
        return arc(p.get(f[0]), p.get(f[1])) + arc(p.get(f[1]), p.get(f[2])) + arc(p.get(f[2]), p.get(f[0]));
    }

    private static double arc(double[] a, double[] b) {
        return Math.acos(Math.max(-1, Math.min(1, dot(a, b))));
    }

    /** Whether two spherical triangles share interior: a vertex strictly inside the other, or crossing edges. */
    private static boolean overlap(List<double[]> p, int[] f, int[] g) {
        double[][] fi = {p.get(f[0]), p.get(f[1]), p.get(f[2])};
        double[][] gi = {p.get(g[0]), p.get(g[1]), p.get(g[2])};
        double[] inverseF = invert3(fi[0], fi[1], fi[2]);
        double[] inverseG = invert3(gi[0], gi[1], gi[2]);
        if (strictlyInside(inverseF, centroid(gi)) || strictlyInside(inverseG, centroid(fi))) return true;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                if (arcsCross(fi[a], fi[(a + 1) % 3], gi[b], gi[(b + 1) % 3])) return true;
            }
        }
        return false;
    }

    private static double[] centroid(double[][] t) {
        return new double[] {t[0][0] + t[1][0] + t[2][0], t[0][1] + t[1][1] + t[2][1], t[0][2] + t[1][2] + t[2][2]};
    }

    private static boolean strictlyInside(double[] inv, double[] v) {
        for (int j = 0; j < 3; j++) {
            if (v[0] * inv[j] + v[1] * inv[3 + j] + v[2] * inv[6 + j] <= 1e-6) return false;
        }
        return true;
    }

    private static boolean arcsCross(double[] a, double[] b, double[] c, double[] d) {
        if (same(a, c) || same(a, d) || same(b, c) || same(b, d)) return false;
        double[] n1 = cross(a, b);
        double[] n2 = cross(c, d);
        double sc = dot(n1, c);
        double sd = dot(n1, d);
        double sa = dot(n2, a);
        double sb = dot(n2, b);
        if (sc * sd >= -1e-12 || sa * sb >= -1e-12) return false;
        // the two great circles cross at +-t; the arcs cross when the same point lies on both
        double[] t = cross(n1, n2);
        for (int s = -1; s <= 1; s += 2) {
            double[] q = {s * t[0], s * t[1], s * t[2]};
            if (dot(cross(a, q), n1) > 0 && dot(cross(q, b), n1) > 0
                    && dot(cross(c, q), n2) > 0 && dot(cross(q, d), n2) > 0) return true;
        }
        return false;
    }

    private static boolean same(double[] a, double[] b) {
        return Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9 && Math.abs(a[2] - b[2]) < 1e-9;
    }

    /** Inverse of the 3x3 matrix with rows a, b, c, row-major. */
    static double[] invert3(double[] a, double[] b, double[] c) {
        double det = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0])
                + a[2] * (b[0] * c[1] - b[1] * c[0]);
        double[] m = new double[9];
        m[0] = (b[1] * c[2] - b[2] * c[1]) / det;
        m[1] = (a[2] * c[1] - a[1] * c[2]) / det;
        m[2] = (a[1] * b[2] - a[2] * b[1]) / det;
        m[3] = (b[2] * c[0] - b[0] * c[2]) / det;
        m[4] = (a[0] * c[2] - a[2] * c[0]) / det;
        m[5] = (a[2] * b[0] - a[0] * b[2]) / det;
        m[6] = (b[0] * c[1] - b[1] * c[0]) / det;
        m[7] = (a[1] * c[0] - a[0] * c[1]) / det;
        m[8] = (a[0] * b[1] - a[1] * b[0]) / det;
        return m;
    }

    private static double[] sub(double[] a, double[] b) { return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }

    private static double dot(double[] a, double[] b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
