package org.stemroom.workstation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The waveform's columns written into the raster against Java2D's antialiased drawLine, which drew them before. */
class PlotsTest {

    @Test
    void waveColumnsArePixelForPixelJava2dsAntialiasedVerticalLines() {
        Random rnd = new Random(11);
        int w = 160;
        int h = 140;
        int lines = 0;
        for (int trial = 0; trial < 40; trial++) {
            Color color = Plots.PALETTE[trial % Plots.PALETTE.length];
            BufferedImage java2d = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            BufferedImage ours = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = java2d.createGraphics();
            Graphics2D o = ours.createGraphics();
            // the same background and the grid line the waveform crosses, as Plots draws them
            for (Graphics2D c : new Graphics2D[] {g, o}) {
                c.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                c.setColor(Plots.BG);
                c.fillRect(0, 0, w, h);
                c.setColor(Plots.GRID);
                c.drawLine(0, 65, w, 65);
                c.setColor(color);
            }
            int[] column = new int[h];
            java.util.Arrays.fill(column, color.getRGB() & 0xffffff);
            for (int x = 0; x < w; x++) {
                // spans of every length, reversed, single points (ya == yb), and ends beyond the picture's edges
                int ya = rnd.nextInt(h + 40) - 20;
                int yb = switch (trial % 4) {
                    case 0 -> ya;
                    case 1 -> ya + rnd.nextInt(3) - 1;
                    default -> rnd.nextInt(h + 40) - 20;
                };
                g.drawLine(x, ya, x, yb);
                Plots.waveColumn(ours.getRaster(), column, x, ya, yb);
                lines++;
            }
            g.dispose();
            o.dispose();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(java2d.getRGB(x, y), ours.getRGB(x, y), "trial " + trial + " pixel " + x + "," + y);
                }
            }
        }
        assertEquals(40 * w, lines);
    }

    /**
     * The spectrogram's rows come from {@code heatRow}: every column's level at the row's bin through the colour map,
     * pixel by pixel as {@code heat((db + 100) / 100)} (what the row loop inside waveAndSpectrogram computed), for
     * levels across and beyond the map's range, NaN and infinities included, at the first, a middle and the last bin.
     */
    @Test
    void heatRowIsTheColourMapOfEachColumnsLevelAtTheBin() {
        Random rnd = new Random(5);
        int w = 37;
        int bins = AudioThumbnail.FFT / 2 + 1;
        float[][] db = new float[w][bins];
        float[] special = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -100f, 0f, -50f, -140f, 12f};
        for (int x = 0; x < w; x++) {
            for (int b = 0; b < bins; b++) {
                db[x][b] = x < special.length && b % 7 == 0 ? special[x] : -130f + 150f * rnd.nextFloat();
            }
        }
        int[] row = new int[w + 3];
        java.util.Arrays.fill(row, 0x123456);
        for (int bin : new int[] {0, 511, bins - 1, 7 * 40}) {
            Plots.heatRow(db, bin, row, w);
            for (int x = 0; x < w; x++) {
                assertEquals(Plots.heat((db[x][bin] + 100) / 100), row[x], "bin " + bin + " column " + x);
            }
            for (int x = w; x < row.length; x++) assertEquals(0x123456, row[x], "beyond the row's width");
        }
    }
}
