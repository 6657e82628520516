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
}
