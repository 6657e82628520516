package org.stemroom.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;

/**
 * Interns the string literals of every class loaded so far, so that the JIT's first C2 compile request for a method
 * of one of them allocates nothing on the thread that asks for it.
 *
 * <p>Why: HotSpot's CompileBroker resolves all string literals of a class's constant pool on the Java thread whose
 * counters ask C2 to compile one of the class's methods (resolve_string_constants), interning each one that is not
 * interned yet: a String and its byte[] on that thread, e.g. 24 + 40 bytes for WindowGrid's
 * {@code "bad window grid: window"}. An allocation test that watches a streaming worker saw exactly those bytes, at
 * random windows (when C2's thresholds are crossed depends on the load). A literal that is already interned is looked
 * up, not allocated, so interning them all beforehand, on the test's thread, leaves the watched threads' counts to
 * the code under test. Used by the allocation tests of real-time code (the same bytes made
 * PartitionedConvolverTest fail now and then: AudioBuffer's literals, 312 bytes). It reads a few thousand class files
 * (a few hundred ms), too slow for the plugin's cold start.
 */
public final class LoadedClassLiterals {
    /**
     * The interned literals, held: the JVM's string table holds its strings weakly, so a literal interned here and
     * then collected would be allocated again at the compile request.
     */
    private static final java.util.Set<String> KEPT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private LoadedClassLiterals() { }

    /** Interns the string literals of every loaded class whose class file is readable; returns how many. */
    public static int internAll() throws Exception {
        String hierarchy = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmClassHierarchy",
                new Object[] {null}, new String[] {String[].class.getName()});
        int n = 0;
        for (String line : hierarchy.split("\n")) {
            // lines look like "|--|--java.lang.String/null": the class name, then its loader
            String name = line.replaceFirst("^[|\\- ]*", "");
            int slash = name.indexOf('/');
            if (slash <= 0) continue;
            // class files are never encapsulated, so the system loader finds the JDK's own too; hidden classes
            // (lambdas) have none and are skipped
            try (InputStream in = ClassLoader.getSystemResourceAsStream(name.substring(0, slash).replace('.', '/') + ".class")) {
                if (in == null) continue;
                for (String s : stringLiterals(new DataInputStream(in))) {
                    KEPT.add(s.intern());
                    n++;
                }
            }
        }
        return n;
    }

    /** The CONSTANT_String entries of a class file's constant pool (JVMS 4.4). */
    static List<String> stringLiterals(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort(); // minor version
        in.readUnsignedShort(); // major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] stringIndex = new int[count];
        int strings = 0;
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF(); // modified UTF-8 behind a u2 length, as DataInput reads it
                case 8 -> stringIndex[strings++] = in.readUnsignedShort();
                case 7, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> { in.skipNBytes(8); i++; } // longs and doubles take two entries
                default -> throw new IOException("constant pool tag " + tag + " at entry " + i);
            }
        }
        List<String> out = new ArrayList<>(strings);
        for (int k = 0; k < strings; k++) out.add(utf8[stringIndex[k]]);
        return out;
    }
}
