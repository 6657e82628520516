package org.stemroom.spatial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.stemroom.core.StemroomException;

class SpeakerLayoutTest {

    @Test
    void fivePointOneFollowsBs775() {
        SpeakerLayout l = SpeakerLayout.SURROUND_5_1;
        assertEquals("[L, R, C, LFE, Ls, Rs]", l.channelLayout().labels().toString());
        assertEquals(0x3F, l.channelLayout().waveMask());
        assertEquals(30, l.position(0).azimuthDegrees());
        assertEquals(-30, l.position(1).azimuthDegrees());
        assertEquals(0, l.position(2).azimuthDegrees());
        assertTrue(l.position(3).isLfe());
        assertEquals(110, l.position(4).azimuthDegrees());
        assertEquals(-110, l.position(5).azimuthDegrees());
        assertEquals(3, l.lfeIndex());
        assertFalse(l.hasHeight());
    }

    @Test
    void sevenOneUsesBs2051SystemI() {
        SpeakerLayout l = SpeakerLayout.SURROUND_7_1;
        assertEquals(0x63F, l.channelLayout().waveMask());
        assertEquals(135, l.position(l.indexOf("Ls")).azimuthDegrees());
        assertEquals(-135, l.position(l.indexOf("Rs")).azimuthDegrees());
        assertEquals(90, l.position(l.indexOf("Lss")).azimuthDegrees());
        assertEquals(-90, l.position(l.indexOf("Rss")).azimuthDegrees());
        SpeakerLayout h = SpeakerLayout.SURROUND_7_1_4;
        assertEquals(12, h.channelCount());
        assertTrue(h.hasHeight());
        assertEquals(45, h.position(h.indexOf("Ltf")).elevationDegrees());
        assertEquals(-135, h.position(h.indexOf("Rtr")).azimuthDegrees());
        assertEquals(45, SpeakerLayout.QUAD.position(0).azimuthDegrees());
        assertEquals(-135, SpeakerLayout.QUAD.position(3).azimuthDegrees());
    }

    @Test
    void customJsonLayoutKeepsWaveMaskWhenLabelsAreKnown() throws Exception {
        String json = "{\"name\":\"wide\",\"speakers\":[{\"label\":\"L\",\"azimuth\":45},{\"label\":\"R\",\"azimuth\":-45},"
                + "{\"label\":\"C\",\"azimuth\":0},{\"label\":\"LFE\",\"lfe\":true},"
                + "{\"label\":\"Ls\",\"azimuth\":120,\"elevation\":10},{\"label\":\"Rs\",\"azimuth\":-120}]}";
        SpeakerLayout l = SpeakerLayout.fromJson(stream(json), "wide.json");
        assertEquals("wide", l.name());
        assertEquals(0x3F, l.channelLayout().waveMask());
        assertEquals(45, l.position(0).azimuthDegrees());
        assertEquals(10, l.position(4).elevationDegrees());
        assertEquals(3, l.lfeIndex());

        SpeakerLayout odd = SpeakerLayout.fromJson(stream("{\"speakers\":[{\"label\":\"front\",\"azimuth\":0},"
                + "{\"label\":\"back\",\"azimuth\":180},{\"label\":\"sub\",\"lfe\":true}]}"), "odd.json");
        assertEquals(0, odd.channelLayout().waveMask());
        assertEquals(2, odd.lfeIndex());
    }

    @Test
    void badJsonLayoutsNameTheProblem() {
        StemroomException e = assertThrows(StemroomException.class, () -> SpeakerLayout.fromJson(
                stream("{\"speakers\":[{\"label\":\"L\"}]}"), "x.json"));
        assertTrue(e.getMessage().contains("x.json") && e.getMessage().contains("azimuth"), e.getMessage());
        e = assertThrows(StemroomException.class, () -> SpeakerLayout.fromJson(
                stream("{\"speakers\":[{\"label\":\"L\",\"azimuth\":30},{\"label\":\"l\",\"azimuth\":20}]}"), "d.json"));
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
        e = assertThrows(StemroomException.class, () -> SpeakerLayout.fromJson(stream("{\"speakers\":"), "t.json"));
        assertTrue(e.getMessage().contains("t.json"), e.getMessage());
        e = assertThrows(StemroomException.class, () -> SpeakerLayout.fromJson(
                stream("{\"speakers\":[{\"label\":\"X\",\"azimuth\":0,\"elevation\":120}]}"), "e.json"));
        assertTrue(e.getMessage().contains("elevation"), e.getMessage());
        assertThrows(StemroomException.class, () -> SpeakerLayout.byName("9.2"));
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
