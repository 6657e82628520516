package org.stemroom.trainer.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The loss curve as PNG (headless java.awt, laid out like room-ir's DecayPlot): training loss every 50 steps and
 * per epoch, validation loss per epoch, against epochs, on a logarithmic loss axis.
 */
public final class LossPlot {
    private LossPlot() { }

    public static BufferedImage render(List<Trainer.EpochStats> epochs, List<Double> stepCurve) {
        int w = 1060, h = 560, left = 90, right = 260, top = 50, bottom = 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int pw = w - left - right, ph = h - top - bottom;
        double lo = Double.MAX_VALUE, hi = 0;
        for (double d : stepCurve) if (d > 0 && Double.isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
        for (Trainer.EpochStats e : epochs) {
            for (double d : new double[] {e.trainLoss(), e.validLoss()}) {
                if (d > 0 && Double.isFinite(d)) { lo = Math.min(lo, d); hi = Math.max(hi, d); }
            }
        }
        if (hi == 0) { lo = 0.1; hi = 1; }
        double dlo = Math.floor(Math.log10(lo)), dhi = Math.ceil(Math.log10(hi));
        if (dhi <= dlo) dhi = dlo + 1;
        int nE = Math.max(1, epochs.size());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (double d = dlo; d <= dhi + 1e-9; d++) {
            for (int k = 1; k < 10; k++) {
                double v = Math.log10(k) + d;
                if (v > dhi + 1e-9) break;
                int y = top + (int) Math.round((dhi - v) / (dhi - dlo) * ph);
                g.setColor(k == 1 ? new Color(0xC8C8C8) : new Color(0xEEEEEE));
                g.drawLine(left, y, left + pw, y);
                if (k == 1) {
                    g.setColor(Color.DARK_GRAY);
                    String s = String.format(Locale.ROOT, "1e%d", (int) d);
                    g.drawString(s, left - 8 - g.getFontMetrics().stringWidth(s), y + 5);
                }
            }
        }
        for (int e = 0; e <= nE; e++) {
            int x = left + (int) Math.round(e / (double) nE * pw);
            g.setColor(new Color(0xE0E0E0));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.DARK_GRAY);
            String s = Integer.toString(e);
            if (nE <= 25 || e % 5 == 0) g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, top + ph + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString("epoch", left + pw / 2 - 20, h - 25);
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        gr.drawString("loss (phase-sensitive MSE, log scale)", -(top + ph / 2 + 110), 25);
        gr.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("stemroom-unmix training", left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        double finalLo = dlo, finalHi = dhi;
        java.util.function.DoubleUnaryOperator yOf = v -> top + (finalHi - Math.log10(Math.max(v, Math.pow(10, finalLo))))
                / (finalHi - finalLo) * ph;
        // steps are spread evenly over the epochs they belong to
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(new Color(0x9ecae1));
        int px = -1, py = -1;
        for (int i = 0; i < stepCurve.size(); i++) {
            int x = left + (int) Math.round((i + 0.5) / stepCurve.size() * Math.min(nE, epochs.size()) / nE * pw);
            int y = (int) Math.round(yOf.applyAsDouble(stepCurve.get(i)));
            if (px >= 0) g.drawLine(px, py, x, y);
            px = x;
            py = y;
        }
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728)};
        String[] labels = {"training loss (epoch mean)", "validation loss"};
        g.setStroke(new BasicStroke(2.5f));
        for (int series = 0; series < 2; series++) {
            g.setColor(colors[series]);
            px = -1;
            for (Trainer.EpochStats e : epochs) {
                double v = series == 0 ? e.trainLoss() : e.validLoss();
                if (!(v > 0)) continue;
                int x = left + (int) Math.round(e.epoch() / (double) nE * pw);
                int y = (int) Math.round(yOf.applyAsDouble(v));
                if (px >= 0) g.drawLine(px, py, x, y);
                g.fillOval(x - 4, y - 4, 8, 8);
                px = x;
                py = y;
            }
            g.drawLine(left + pw + 15, top + 20 + series * 22, left + pw + 40, top + 20 + series * 22);
            g.setColor(Color.BLACK);
            g.drawString(labels[series], left + pw + 45, top + 25 + series * 22);
        }
        g.setColor(new Color(0x9ecae1));
        g.drawLine(left + pw + 15, top + 64, left + pw + 40, top + 64);
        g.setColor(Color.BLACK);
        g.drawString("every 50 steps", left + pw + 45, top + 69);
        g.dispose();
        return img;
    }

    /** Writes the plot as PNG, atomically. */
    public static void write(List<Trainer.EpochStats> epochs, List<Double> stepCurve, Path png) throws IOException {
        BufferedImage img = render(epochs, stepCurve);
        Path dir = png.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
            org.stemroom.core.io.AtomicFiles.replace(tmp, png);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
