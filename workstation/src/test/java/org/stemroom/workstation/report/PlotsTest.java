package org.stemroom.workstation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The waveform's columns written into the raster against Java2D's antialiased drawLine, which drew them before. */
class PlotsTest {

    /**
     * A render's thumbnails hold only the spectrum bins the spectrogram draws: the same levels there as a thumbnail of
     * every bin, NaN elsewhere, and the same picture pixel for pixel (a bin left out that a row draws changes it).
     */
    @Test
    void thumbnailsOfTheDrawnBinsDrawTheSamePictures() {
        for (int rate : new int[] {44_100, 48_000, 96_000}) {
            int[] bins = SpectrogramRows.bins(rate);
            for (int y = 0; y < SpectrogramRows.ROWS; y++) {
                assertTrue(java.util.Arrays.binarySearch(bins, SpectrogramRows.bin(y, rate)) >= 0, "row " + y);
            }
            for (int i = 1; i < bins.length; i++) assertTrue(bins[i - 1] < bins[i], "ascending, each once");
            int ch = 2, n = 3 * rate, columns = 90;
            Random rnd = new Random(rate);
            float[][] x = new float[ch][n];
            for (int c = 0; c < ch; c++) {
                for (int i = 0; i < n; i++) {
                    // noise under a tone that sweeps up, with quiet stretches: levels across the colour map
                    x[c][i] = (float) (0.3 * Math.sin(2e-9 * i * (double) i * rate) + (i % 40_000 < 9_000 ? 0 : 0.05 * rnd.nextGaussian()));
                }
            }
            AudioThumbnail.Builder all = new AudioThumbnail.Builder(columns, rate, n, ch);
            AudioThumbnail.Builder drawn = new AudioThumbnail.Builder(columns, rate, n, ch, bins);
            for (int pos = 0; pos < n; pos += 4096) {
                int k = Math.min(4096, n - pos);
                float[][] block = new float[ch][];
                for (int c = 0; c < ch; c++) block[c] = java.util.Arrays.copyOfRange(x[c], pos, pos + k);
                all.add(block, 0, k);
                drawn.add(block, 0, k);
            }
            AudioThumbnail a = all.finish();
            AudioThumbnail d = drawn.finish();
            for (int c = 0; c < columns; c++) {
                float[] as = a.spectrum(c), ds = d.spectrum(c);
                for (int k = 0; k < as.length; k++) {
                    assertEquals(Float.floatToRawIntBits(as[k]), Float.floatToRawIntBits(a.level(c, k)), "column " + c + " bin " + k);
                    if (java.util.Arrays.binarySearch(bins, k) >= 0) {
                        assertEquals(Float.floatToRawIntBits(as[k]), Float.floatToRawIntBits(ds[k]), "column " + c + " bin " + k);
                    } else {
                        assertTrue(Float.isNaN(ds[k]), "column " + c + " bin " + k + " not drawn");
                    }
                }
            }
            assertEquals(columns * bins.length, d.levels.length, "a render's thumbnail holds the drawn bins alone");
            BufferedImage pa = Plots.waveAndSpectrogram(a, "x", Plots.PALETTE[0]);
            BufferedImage pd = Plots.waveAndSpectrogram(d, "x", Plots.PALETTE[0]);
            for (int yy = 0; yy < pa.getHeight(); yy++) {
                for (int xx = 0; xx < pa.getWidth(); xx++) {
                    assertEquals(pa.getRGB(xx, yy), pd.getRGB(xx, yy), rate + " Hz, pixel " + xx + "," + yy);
                }
            }
        }
    }

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
        float[] levels = new float[w * bins]; // the thumbnail's layout: column after column
        for (int x = 0; x < w; x++) System.arraycopy(db[x], 0, levels, x * bins, bins);
        int[] row = new int[w + 3];
        java.util.Arrays.fill(row, 0x123456);
        for (int bin : new int[] {0, 511, bins - 1, 7 * 40}) {
            Plots.heatRow(levels, bin, bins, row, w);
            for (int x = 0; x < w; x++) {
                assertEquals(Plots.heat((db[x][bin] + 100) / 100), row[x], "bin " + bin + " column " + x);
            }
            for (int x = w; x < row.length; x++) assertEquals(0x123456, row[x], "beyond the row's width");
        }
    }
}
