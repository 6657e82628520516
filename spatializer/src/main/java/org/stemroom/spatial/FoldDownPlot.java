package org.stemroom.spatial;

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

/** A PNG of a {@link FoldDownCheck.Report}: per-octave level differences, left and right, with the tolerance band. */
public final class FoldDownPlot {
    private static final int W = 900;
    private static final int H = 480;

    private FoldDownPlot() { }

    /** Draws the report; written to a temporary file in the target's folder and renamed onto it. */
    public static void write(FoldDownCheck.Report r, Path target) throws IOException {
        BufferedImage img = render(r);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer available");
            org.stemroom.core.io.AtomicFiles.replace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static BufferedImage render(FoldDownCheck.Report r) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int left = 70, right = W - 20, top = 60, bottom = H - 60;
        double worst = Math.max(r.worstBandDb(), r.toleranceDb);
        double range = Math.max(2, Math.ceil(worst * 1.2));
        g.setColor(new Color(225, 245, 225));
        int ty0 = y(r.toleranceDb, range, top, bottom);
        int ty1 = y(-r.toleranceDb, range, top, bottom);
        g.fillRect(left, ty0, right - left, ty1 - ty0);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(200, 200, 200));
        for (double d = -range; d <= range + 1e-9; d += range / 4) {
            int yy = y(d, range, top, bottom);
            g.drawLine(left, yy, right, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%+.1f dB", d), 8, yy + 4);
            g.setColor(new Color(200, 200, 200));
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, y(0, range, top, bottom), right, y(0, range, top, bottom));
        int n = r.bands.size();
        double slot = (right - left) / (double) n;
        Color[] colours = {new Color(40, 90, 200), new Color(210, 80, 40)};
        for (int b = 0; b < n; b++) {
            int x0 = (int) (left + b * slot);
            for (int s = 0; s < 2; s++) {
                double d = Math.max(-range, Math.min(range, r.bandDiffDb[s][b]));
                int bx = (int) (x0 + slot * (0.2 + 0.3 * s));
                int bw = (int) (slot * 0.28);
                int y0 = y(0, range, top, bottom);
                int y1 = y(d, range, top, bottom);
                g.setColor(colours[s]);
                g.fillRect(bx, Math.min(y0, y1), bw, Math.max(1, Math.abs(y1 - y0)));
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(r.bands.get(b), (int) (x0 + slot * 0.3), bottom + 18);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "Fold-down %s of %s minus reference, per octave (%s)", r.mode, r.layout,
                r.pass() ? "PASS" : "FAIL"), left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(String.format(Locale.ROOT,
                "correlation L %.3f R %.3f   loudness %+.2f LU   peak %.1f dBFS, %d clipped   worst band %.2f dB",
                r.correlation[0], r.correlation[1], r.loudnessDiffLu(), r.foldDownPeakDbfs, r.foldDownClipped,
                r.worstBandDb()), left, 45);
        g.setColor(colours[0]);
        g.fillRect(left, H - 25, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("left", left + 16, H - 15);
        g.setColor(colours[1]);
        g.fillRect(left + 60, H - 25, 12, 12);
        g.setColor(Color.BLACK);
        g.drawString("right", left + 76, H - 15);
        g.drawString("Hz", right - 20, bottom + 34);
        g.dispose();
        return img;
    }

    private static int y(double db, double range, int top, int bottom) {
        return (int) Math.round(top + (range - db) / (2 * range) * (bottom - top));
    }
}
