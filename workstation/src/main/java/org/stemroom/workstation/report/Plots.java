package org.stemroom.workstation.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import org.stemroom.core.ChannelLayout;
import org.stemroom.core.Speaker;

/** The report's pictures, drawn with java.awt (headless) and encoded as PNG. */
public final class Plots {
    static final Color BG = new Color(0x16, 0x1a, 0x22);
    static final Color GRID = new Color(0x33, 0x3a, 0x48);
    static final Color TEXT = new Color(0xd8, 0xdd, 0xe6);
    static final Color[] PALETTE = {new Color(0xf2, 0x8e, 0x2b), new Color(0x4e, 0xa8, 0xde), new Color(0x7c, 0xc6, 0x5a),
        new Color(0xd9, 0x5b, 0x9a), new Color(0xe8, 0xd1, 0x4f), new Color(0x9b, 0x7b, 0xe0), new Color(0x5f, 0xd3, 0xc4)};

    private Plots() { }

    static { System.setProperty("java.awt.headless", "true"); }

    /** The picture as PNG bytes ({@link PngEncoder}: the report's own, much cheaper to start than ImageIO's). */
    public static byte[] png(BufferedImage img) {
        return PngEncoder.encode(img);
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(BG);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    /** Waveform (top) and spectrogram (bottom, log frequency 30 Hz to Nyquist, -100..0 dB) of one file. */
    public static BufferedImage waveAndSpectrogram(AudioThumbnail t, String title, Color color) {
        int w = t.columns;
        int left = 44;
        int waveH = 90;
        int specH = SpectrogramRows.ROWS;
        int top = 20;
        BufferedImage img = new BufferedImage(left + w + 10, top + waveH + 8 + specH + 22, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setColor(TEXT);
        g.drawString(title, left, 14);
        // waveform
        int mid = top + waveH / 2;
        g.setColor(GRID);
        g.drawLine(left, mid, left + w, mid);
        g.drawString("+1", 4, top + 10);
        g.drawString("-1", 4, top + waveH);
        java.awt.image.WritableRaster raster = img.getRaster();
        int[] column = new int[img.getHeight()];
        java.util.Arrays.fill(column, color.getRGB() & 0xffffff);
        for (int x = 0; x < w; x++) {
            int y0 = mid - Math.round(t.max[x] * waveH / 2f);
            int y1 = mid - Math.round(t.min[x] * waveH / 2f);
            waveColumn(raster, column, left + x, Math.max(top, y0), Math.min(top + waveH, Math.max(y0, y1)));
        }
        // spectrogram
        int sTop = top + waveH + 8;
        double nyq = t.sampleRate / 2.0;
        double fLo = SpectrogramRows.LOWEST_HZ;
        // A row of packed RGB at a time into the raster: what setRGB stores for TYPE_INT_RGB (heat's values have no
        // alpha bits), without its colour-model conversion and array per pixel (0.7 million pixels per render)
        int[] row = new int[w];
        for (int y = 0; y < specH; y++) {
            int slot = t.slot(SpectrogramRows.bin(y, t.sampleRate));
            if (slot >= 0) heatRow(t.levels, slot, t.held(), row, w);
            else java.util.Arrays.fill(row, 0, w, heat(Float.NaN)); // a bin the thumbnail does not hold reads NaN
            raster.setDataElements(left, sTop + y, w, 1, row);
        }
        g.setColor(TEXT);
        for (double f : new double[] {100, 1000, 10000}) {
            if (f >= nyq) continue;
            int y = sTop + (int) Math.round((1 - Math.log(f / fLo) / Math.log(nyq / fLo)) * specH);
            g.drawString(f >= 1000 ? (int) (f / 1000) + "k" : String.valueOf((int) f), 8, y + 4);
            g.setColor(GRID);
            g.drawLine(left - 4, y, left, y);
            g.setColor(TEXT);
        }
        double seconds = t.frames / (double) t.sampleRate;
        int step = seconds > 120 ? 30 : seconds > 40 ? 10 : 5;
        for (int s = 0; s <= seconds; s += step) {
            int x = left + (int) Math.round(s / seconds * w);
            g.drawString(s + "s", x - 6, sTop + specH + 16);
        }
        g.dispose();
        return img;
    }


    /**
     * One waveform column: the pixels of rows ya..yb (either order) of column x set to the column's colour, clipped to
     * the raster. These are exactly the pixels, at full coverage, that an antialiased {@code drawLine(x, ya, x, yb)}
     * paints with the default stroke (width 1, square caps, normalized): the line covers the pixel column from the
     * upper row's top to the lower row's bottom edge, all on pixel boundaries. The columns went through Java2D's
     * antialiasing rasterizer (Marlin) one line at a time, 6 pictures of 720 lines in a render, at the end of
     * the render, where C2 also compiled the rasterizer's main loop (0.16 s). {@code PlotsTest} compares both.
     */
    static void waveColumn(java.awt.image.WritableRaster raster, int[] column, int x, int ya, int yb) {
        int lo = Math.max(0, Math.min(ya, yb));
        int hi = Math.min(raster.getHeight() - 1, Math.max(ya, yb));
        if (x < 0 || x >= raster.getWidth() || lo > hi) return;
        raster.setDataElements(x, lo, 1, hi - lo + 1, column);
    }

    /**
     * One spectrogram row: {@code row[x]} is the heat colour of column x's level, {@code levels[first + x * stride]}
     * ({@link AudioThumbnail#levels}: the row's bin in each column), -100..0 dB as 0..1.
     * A method of its own so that this loop, 720 x 160 turns a picture, is what C2 compiles: inside
     * {@link #waveAndSpectrogram} it made C2 compile that whole method (15 KB of code with Java2D's text and line
     * drawing inlined) twice at the render's end, on-stack in the first picture and whole in a later one (compile log
     * of the bench render: about 0.07 CPU-s); now this small loop is compiled once and the picture's own code stays
     * in C1. Same pixels.
     */
    static void heatRow(float[] levels, int first, int stride, int[] row, int w) {
        for (int x = 0; x < w; x++) row[x] = heat((levels[first + x * stride] + 100) / 100);
    }

    /** A dark-blue to yellow colour map for 0..1. */
    static int heat(double v) {
        v = Math.max(0, Math.min(1, v));
        double r = Math.min(1, Math.max(0, 1.6 * v - 0.4));
        double gr = Math.min(1, Math.max(0, 1.4 * v - 0.35)) * 0.95;
        double b = Math.min(1, Math.max(0, v < 0.5 ? 0.25 + v : 1.25 - v * 1.2));
        return ((int) (r * 255) << 16) | ((int) (gr * 255) << 8) | (int) (b * 255);
    }

    /** One stem placed in the diagram. */
    public record StemMark(String name, double azimuth, double distance, double width, boolean muted) { }

    /** Top-down view: the listener in the middle, front up, the layout's speakers and each stem's position. */
    public static BufferedImage speakerDiagram(ChannelLayout layout, List<StemMark> stems, double maxDistance) {
        int size = 460;
        BufferedImage img = new BufferedImage(size + 170, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double cx = size / 2.0;
        double cy = size / 2.0;
        double rOuter = size / 2.0 - 40;
        double rMax = Math.max(2, maxDistance);
        g.setColor(GRID);
        for (double d : new double[] {1, 2, 5, 10, 20, 50}) {
            if (d > rMax * 1.01) break;
            double r = radius(d, rMax, rOuter);
            g.draw(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
            g.drawString((int) d + " m", (float) (cx + 3), (float) (cy - r - 2));
        }
        g.drawLine((int) cx, (int) (cy - rOuter - 10), (int) cx, (int) (cy + rOuter + 10));
        g.setColor(TEXT);
        g.drawString("front", (float) cx - 14, 14);
        // speakers on the outer ring
        for (Speaker s : layout.speakers()) {
            if (s.isLfe()) continue;
            double[] p = point(s.azimuthDegrees(), rOuter + 14, cx, cy);
            g.setColor(new Color(0x9a, 0xa4, 0xb5));
            g.fillRect((int) p[0] - 7, (int) p[1] - 7, 14, 14);
            g.setColor(TEXT);
            g.drawString(s.label(), (float) p[0] - 8, (float) p[1] + 22);
        }
        if (layout.lfeIndex() >= 0) g.drawString("LFE", (float) cx + 12, (float) cy + 16);
        // listener
        g.setColor(TEXT);
        g.fill(new Ellipse2D.Double(cx - 6, cy - 6, 12, 12));
        // stems
        int k = 0;
        int legendY = 30;
        for (StemMark s : stems) {
            Color c = PALETTE[k++ % PALETTE.length];
            double r = radius(s.distance(), rMax, rOuter);
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
            if (s.width() > 0) {
                g.setStroke(new BasicStroke(8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                int steps = Math.max(2, (int) (s.width() / 3));
                for (int i = 0; i < steps; i++) {
                    double a0 = s.azimuth() - s.width() / 2 + s.width() * i / steps;
                    double a1 = s.azimuth() - s.width() / 2 + s.width() * (i + 1) / steps;
                    double[] p0 = point(a0, r, cx, cy);
                    double[] p1 = point(a1, r, cx, cy);
                    g.drawLine((int) p0[0], (int) p0[1], (int) p1[0], (int) p1[1]);
                }
                g.setStroke(new BasicStroke(1f));
            }
            double[] p = point(s.azimuth(), r, cx, cy);
            g.setColor(s.muted() ? GRID : c);
            g.fill(new Ellipse2D.Double(p[0] - 8, p[1] - 8, 16, 16));
            g.setColor(TEXT);
            g.drawString(s.name(), (float) p[0] + 10, (float) p[1] - 8);
            // legend
            g.setColor(c);
            g.fillRect(size + 4, legendY - 10, 12, 12);
            g.setColor(TEXT);
            g.drawString(String.format(Locale.ROOT, "%s %+.0f° %.1f m", s.name(), s.azimuth(), s.distance()),
                    size + 22, legendY);
            legendY += 20;
        }
        g.dispose();
        return img;
    }

    private static double radius(double d, double rMax, double rOuter) {
        // log distance scale from 0.25 m to the farthest stem
        double lo = Math.log(0.25);
        return rOuter * 0.1 + rOuter * 0.85 * (Math.log(Math.max(0.25, d)) - lo) / (Math.log(rMax) - lo);
    }

    /** Azimuth positive to the left, 0 = up (front). */
    private static double[] point(double azDeg, double r, double cx, double cy) {
        double a = Math.toRadians(azDeg);
        return new double[] {cx - r * Math.sin(a), cy - r * Math.cos(a)};
    }

    /** Energy decay curves (dB against seconds) of a room per octave band. */
    public static BufferedImage decayCurves(List<String> labels, List<float[]> curvesDb, double step, String title) {
        int w = 640;
        int h = 320;
        int left = 50;
        int bottom = 30;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        double tMax = 0;
        for (float[] c : curvesDb) tMax = Math.max(tMax, c.length * step);
        tMax = Math.max(0.1, tMax);
        int pw = w - left - 120;
        int ph = h - bottom - 24;
        g.setColor(GRID);
        for (int db = 0; db >= -60; db -= 10) {
            int y = 24 + (int) (-db / 60.0 * ph);
            g.drawLine(left, y, left + pw, y);
            g.setColor(TEXT);
            g.drawString(db + " dB", 4, y + 4);
            g.setColor(GRID);
        }
        g.setColor(TEXT);
        g.drawString(title, left, 14);
        g.drawString(String.format(Locale.ROOT, "%.2f s", tMax), left + pw - 30, h - 8);
        g.drawString("0 s", left, h - 8);
        for (int k = 0; k < curvesDb.size(); k++) {
            float[] c = curvesDb.get(k);
            g.setColor(PALETTE[k % PALETTE.length]);
            int px = -1;
            int py = -1;
            for (int i = 0; i < c.length; i++) {
                double db = Math.max(-60, Math.min(0, c[i]));
                int x = left + (int) (i * step / tMax * pw);
                int y = 24 + (int) (-db / 60.0 * ph);
                if (px >= 0) g.drawLine(px, py, x, y);
                px = x;
                py = y;
            }
            g.drawString(labels.get(k), left + pw + 12, 34 + 18 * k);
        }
        g.dispose();
        return img;
    }
}
