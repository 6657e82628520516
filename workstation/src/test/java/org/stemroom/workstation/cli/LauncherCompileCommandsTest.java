package org.stemroom.workstation.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every class and method that the launcher (./stemroom) names in a {@code -XX:CompileCommand} exists: ours, and the
 * JDK's (the SHA-256 kernels, the file channel's write) in the JDK the tests run on. The JVM ignores an entry whose
 * method is gone without a word, so a rename (ours, or the JDK's in an update) would silently undo a measured JIT
 * setting.
 */
class LauncherCompileCommandsTest {
    /**
     * A named method of ours in an entry: {@code org.stemroom.pkg.Class::method} ({@code \$} for nested classes); a
     * package pattern such as {@code org.stemroom.*::*} names no class and does not match.
     */
    private static final Pattern ENTRY = Pattern.compile("(org\\.stemroom\\.[A-Za-z0-9_.\\\\$]+)::([A-Za-z0-9_*]+)");
    /** A named method of the JDK's: {@code sun.pkg.Class::method} (or java., jdk.). */
    private static final Pattern JDK_ENTRY = Pattern.compile("(?<![A-Za-z0-9_.$])((?:sun|java|jdk)\\.[A-Za-z0-9_.\\\\$]+)::([A-Za-z0-9_*]+)");
    /** The launcher's loop over methods of one package: {@code for m in A::b C::d; do} then {@code pkg.$m}. */
    private static final Pattern LOOP = Pattern.compile("^\\s*for m in ([^;]+); do\\s*$");
    private static final Pattern LOOP_BODY = Pattern.compile("(org\\.stemroom\\.[A-Za-z0-9_.]+)\\.\\$m\\b");

    @Test
    void everyClassAndMethodNamedInTheLaunchersCompileCommandsExists() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("..", "stemroom"));
        List<String> named = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher loop = LOOP.matcher(line);
            if (loop.matches() && i + 1 < lines.size()) {
                Matcher body = LOOP_BODY.matcher(lines.get(i + 1));
                if (body.find() && lines.get(i + 1).contains("CompileCommand")) {
                    for (String m : loop.group(1).trim().split("\\s+")) named.add(body.group(1) + "." + m);
                }
            }
            if (!line.contains("CompileCommand")) continue;
            Matcher e = ENTRY.matcher(line);
            while (e.find()) named.add(e.group(1) + "::" + e.group(2));
            Matcher j = JDK_ENTRY.matcher(line);
            while (j.find()) named.add(j.group(1) + "::" + j.group(2));
        }
        // the launcher's render branch names 4 separation steps in its loop and the room engine's loops; fewer found
        // means this parser lost track of the launcher's form, not that the entries are right
        assertTrue(named.size() >= 10, "entries found: " + named);
        assertTrue(named.contains("org.stemroom.separation.modelfree.PanPrior::apply"), "loop entries: " + named);
        assertTrue(named.contains("sun.security.provider.SHA2::implCompress0"), "JDK entries: " + named);
        for (String entry : named) {
            int sep = entry.indexOf("::");
            String cls = entry.substring(0, sep).replace("\\$", "$"), method = entry.substring(sep + 2);
            Class<?> c;
            try {
                c = Class.forName(cls, false, getClass().getClassLoader());
            } catch (ClassNotFoundException ex) {
                fail("./stemroom names " + entry + ": no class " + cls);
                return;
            }
            if (method.equals("*")) continue;
            assertFalse(Arrays.stream(c.getDeclaredMethods()).noneMatch(m -> m.getName().equals(method)),
                    "./stemroom names " + entry + ": " + cls + " has no method " + method);
        }
    }
}
