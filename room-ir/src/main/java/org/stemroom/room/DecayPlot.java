package org.stemroom.room;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** PNG of the Schroeder decay curves of every octave band (headless java.awt), axes and legend labelled. */
public final class DecayPlot {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private DecayPlot() { }

    public static BufferedImage render(RoomAcousticsAnalysis.Result res, String title) {
        int w = 1000, h = 620;
        int left = 80, right = 170, top = 50, bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double tMax = 0;
        for (RoomAcousticsAnalysis.BandResult b : res.bands) tMax = Math.max(tMax, b.edcDb.length * b.edcStep);
        tMax = niceCeil(Math.max(tMax, 0.05));
        double dbMin = -80;
        int pw = w - left - right, ph = h - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        // grid and ticks
        for (int db = 0; db >= dbMin; db -= 10) {
            int y = top + (int) Math.round(-db / -dbMin * ph);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.DARK_GRAY);
            String s = Integer.toString(db);
            g.drawString(s, left - 8 - g.getFontMetrics().stringWidth(s), y + 5);
        }
        double step = tickStep(tMax);
        for (double t = 0; t <= tMax + 1e-9; t += step) {
            int x = left + (int) Math.round(t / tMax * pw);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            String s = String.format(Locale.ROOT, step < 0.1 ? "%.2f" : "%.1f", t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, top + ph + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("time after the direct sound (s)", left + pw / 2 - 90, h - 25);
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        gr.drawString("energy decay (dB)", -(top + ph / 2 + 55), 25);
        gr.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        // curves
        g.setStroke(new BasicStroke(2f));
        int ly = top + 10;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i < res.bands.size(); i++) {
            RoomAcousticsAnalysis.BandResult b = res.bands.get(i);
            g.setColor(COLORS[i % COLORS.length]);
            int px = -1, py = -1;
            for (int k = 0; k < b.edcDb.length; k++) {
                double t = k * b.edcStep;
                double v = Math.max(dbMin, b.edcDb[k]);
                int x = left + (int) Math.round(t / tMax * pw);
                int y = top + (int) Math.round(-v / -dbMin * ph);
                if (px >= 0) g.drawLine(px, py, x, y);
                px = x;
                py = y;
                if (v <= dbMin) break;
            }
            g.drawLine(left + pw + 15, ly + 12 + i * 22, left + pw + 40, ly + 12 + i * 22);
            g.setColor(Color.BLACK);
            String t30 = Double.isNaN(b.t30) ? "T30 n/a" : String.format(Locale.ROOT, "T30 %.2f s", b.t30);
            g.drawString(b.label + " Hz  " + t30, left + pw + 45, ly + 17 + i * 22);
        }
        g.setColor(Color.BLACK);
        g.drawString("octave band", left + pw + 15, ly);
        g.dispose();
        return img;
    }

    /** Writes the plot as PNG, atomically. */
    public static void write(RoomAcousticsAnalysis.Result res, String title, Path png) throws IOException {
        BufferedImage img = render(res, title);
        Path dir = png.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
            org.stemroom.core.io.AtomicFiles.replace(tmp, png);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    private static double tickStep(double tMax) {
        double raw = tMax / 8;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }
}
