package org.stemroom.plugin;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A VST3 host in Java over JNA: loads a bundle's shared library, walks the factory's and the plugin's vtables
 * through plain function pointers (the same ABI facts the C shim is written from), and drives an effect.
 * Used by the tests to load bundles from inside a running JVM, where our shim must reuse that JVM.
 */
final class JnaVst3Module implements AutoCloseable {
    static final byte[] IID_IComponent = iid(0xE831FF31, 0xF2D54301, 0x928EBBEE, 0x25697802);
    static final byte[] IID_IAudioProcessor = iid(0x42043F99, 0xB7DA453C, 0xA569E79D, 0x9AAEC33D);
    static final byte[] IID_IEditController = iid(0xDCD7BBE3, 0x7742448D, 0xA874AACC, 0x979C759E);
    static final byte[] IID_IPluginFactory2 = iid(0x0007B650, 0xF24B4C0B, 0xA464EDB9, 0xF00B2ABB);

    private final NativeLibrary lib;
    final Pointer factory;

    JnaVst3Module(Path bundle) {
        String name = bundle.getFileName().toString().replace(".vst3", "");
        lib = NativeLibrary.getInstance(bundle.resolve("Contents/x86_64-linux/" + name + ".so").toString());
        Function entry = lib.getFunction("ModuleEntry");
        entry.invokeInt(new Object[] {Pointer.NULL});
        factory = lib.getFunction("GetPluginFactory").invokePointer(new Object[0]);
    }

    /** Four 32-bit words, each stored big-endian (the Linux VST3 byte order). */
    static byte[] iid(int a, int b, int c, int d) {
        byte[] out = new byte[16];
        int[] w = {a, b, c, d};
        for (int i = 0; i < 4; i++) {
            out[4 * i] = (byte) (w[i] >>> 24);
            out[4 * i + 1] = (byte) (w[i] >>> 16);
            out[4 * i + 2] = (byte) (w[i] >>> 8);
            out[4 * i + 3] = (byte) w[i];
        }
        return out;
    }

    /** Calls slot {@code index} of the vtable of interface pointer {@code self}, returning an int. */
    static int call(Pointer self, int index, Object... args) {
        Object[] a = new Object[args.length + 1];
        a[0] = self;
        System.arraycopy(args, 0, a, 1, args.length);
        return fn(self, index).invokeInt(a);
    }

    static Function fn(Pointer self, int index) {
        Pointer vtbl = self.getPointer(0);
        return Function.getFunction(vtbl.getPointer((long) index * Native.POINTER_SIZE));
    }

    static Memory bytes(byte[] b) {
        Memory m = new Memory(b.length);
        m.write(0, b, 0, b.length);
        return m;
    }

    /** IPluginFactory slots: 3 getFactoryInfo, 4 countClasses, 5 getClassInfo, 6 createInstance; 7 getClassInfo2. */
    int countClasses() {
        return call(factory, 4);
    }

    /** PClassInfo: cid[16], cardinality, category[32], name[64]. */
    String[] classInfo(int index, byte[] cidOut) {
        Memory info = new Memory(116);
        if (call(factory, 5, index, info) != 0) return null;
        System.arraycopy(info.getByteArray(0, 16), 0, cidOut, 0, 16);
        return new String[] {cString(info, 20, 32), cString(info, 52, 64)};
    }

    /** PClassInfo2 sub-categories (offset 120, 128 bytes), through IPluginFactory2 (queried). */
    String subCategories(int index) {
        Memory obj = new Memory(Native.POINTER_SIZE);
        if (call(factory, 0, bytes(IID_IPluginFactory2), obj) != 0) return null;
        Pointer f2 = obj.getPointer(0);
        Memory info = new Memory(440);
        int rc = call(f2, 7, index, info);
        call(f2, 2); // release
        return rc == 0 ? cString(info, 120, 128) : null;
    }

    Pointer create(byte[] cid, byte[] iid) {
        Memory obj = new Memory(Native.POINTER_SIZE);
        int rc = call(factory, 6, bytes(cid), bytes(iid), obj);
        return rc == 0 ? obj.getPointer(0) : null;
    }

    static Pointer query(Pointer unknown, byte[] iid) {
        Memory obj = new Memory(Native.POINTER_SIZE);
        return call(unknown, 0, bytes(iid), obj) == 0 ? obj.getPointer(0) : null;
    }

    static String cString(Pointer p, long off, int max) {
        byte[] b = p.getByteArray(off, max);
        int n = 0;
        while (n < max && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        call(factory, 2); // release
        lib.getFunction("ModuleExit").invokeInt(new Object[0]);
        lib.close();
    }
}
