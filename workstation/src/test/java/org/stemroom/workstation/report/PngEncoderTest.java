package org.stemroom.workstation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The report's PNG encoder against the JDK's PNG decoder (ImageIO) and the PNG specification's chunk layout. */
class PngEncoderTest {

    @Test
    void decodesToTheSamePixels() throws Exception {
        Random rnd = new Random(7);
        for (int[] size : new int[][] {{1, 1}, {3, 2}, {257, 31}, {640, 120}}) {
            BufferedImage img = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) img.setRGB(x, y, rnd.nextInt(0x1000000));
            }
            assertSamePixels(img, PngEncoder.encode(img));
        }
        // rows that repeat the row above (the Up filter's case) and rows of one colour each (Sub's), mixed
        BufferedImage mixed = new BufferedImage(97, 40, BufferedImage.TYPE_INT_RGB);
        int[] noise = new int[97];
        for (int x = 0; x < 97; x++) noise[x] = rnd.nextInt(0x1000000);
        for (int y = 0; y < 40; y++) {
            int flat = rnd.nextInt(0x1000000);
            for (int x = 0; x < 97; x++) mixed.setRGB(x, y, y % 3 == 0 ? flat : noise[x]);
        }
        assertSamePixels(mixed, PngEncoder.encode(mixed));
    }

    @Test
    void aDrawnPlotAndOtherImageTypesDecodeToTheSamePixels() throws Exception {
        float[] a = new float[200], b = new float[200];
        for (int i = 0; i < 200; i++) {
            a[i] = -0.3f * i;
            b[i] = -0.5f * i;
        }
        BufferedImage plot = Plots.decayCurves(List.of("500 Hz", "1 kHz"), List.of(a, b), 0.01, "decay");
        assertSamePixels(plot, PngEncoder.encode(plot));
        // a type without the packed-int fast path (getRGB per pixel); alpha is dropped
        BufferedImage bgr = new BufferedImage(50, 20, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = bgr.createGraphics();
        g.setColor(new Color(0x12, 0x34, 0x56));
        g.fillRect(0, 0, 50, 20);
        g.setColor(new Color(0xfe, 0x01, 0x80));
        g.drawLine(0, 0, 49, 19);
        g.dispose();
        assertSamePixels(bgr, PngEncoder.encode(bgr));
    }

    @Test
    void chunksFollowTheSpecification() {
        BufferedImage img = new BufferedImage(33, 7, BufferedImage.TYPE_INT_RGB);
        byte[] png = PngEncoder.encode(img);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                java.util.Arrays.copyOf(png, 8));
        ByteBuffer b = ByteBuffer.wrap(png, 8, png.length - 8);
        List<String> types = new ArrayList<>();
        while (b.hasRemaining()) {
            int n = b.getInt();
            byte[] typeAndData = new byte[4 + n];
            b.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertEquals((int) crc.getValue(), b.getInt(), "CRC of a chunk");
            String type = new String(typeAndData, 0, 4, StandardCharsets.US_ASCII);
            types.add(type);
            if (type.equals("IHDR")) {
                ByteBuffer h = ByteBuffer.wrap(typeAndData, 4, n);
                assertEquals(13, n);
                assertEquals(33, h.getInt());
                assertEquals(7, h.getInt());
                assertEquals(8, h.get());   // bit depth
                assertEquals(2, h.get());   // truecolour
            }
        }
        assertEquals(List.of("IHDR", "IDAT", "IEND"), types);
    }

    private static void assertSamePixels(BufferedImage img, byte[] png) throws Exception {
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(back, "ImageIO reads it");
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                assertEquals(img.getRGB(x, y) & 0xffffff, back.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
            }
        }
    }
}
