package org.stemroom.room;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/** Recorded IRs from Debian packages (GPL-2+, installed by scripts/install-deps.sh test; never committed). */
final class RealIrs {
    /** guitarix-common: a 2.35 s stereo hall at 48 kHz. */
    static final Path GREATHALL = Paths.get("/usr/share/gx_head/sounds/greathall.wav");
    /** jconvolver-config-files: short mono street IRs (float WAV, 48 kHz). */
    static final Path STREET_L = Paths.get("/usr/share/jconvolver/config-files/demo-reverbs/street2-L.wav");
    static final Path STREET_R = Paths.get("/usr/share/jconvolver/config-files/demo-reverbs/street2-R.wav");

    static Path require(Path p, String pkg) {
        boolean ok = Files.isRegularFile(p);
        if (!ok) System.out.println("SKIP: " + p + " not installed (Debian package " + pkg + "; run scripts/install-deps.sh test)");
        Assumptions.assumeTrue(ok, p + " absent: install Debian package " + pkg);
        return p;
    }

    private RealIrs() { }
}
