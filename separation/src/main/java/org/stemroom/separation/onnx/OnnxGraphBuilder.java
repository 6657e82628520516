package org.stemroom.separation.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models directly in protobuf wire format, from the field numbers of the public
 * {@code onnx.proto} (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), without
 * generated code. It exists so tests and benchmarks can build models of known behaviour (identity, fixed masks,
 * recurrent state) and of realistic size without downloading anything. Opset 13, IR version 8, float32 tensors
 * by default; {@link #elementType} switches graph inputs and outputs to float64 (the trainer's gradient checks run
 * its training graphs in double precision).
 */
public final class OnnxGraphBuilder {
    /** TensorProto.DataType values. */
    public static final int FLOAT = 1;
    public static final int INT64 = 7;
    public static final int DOUBLE = 11;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;
    private int elementType = FLOAT;
    private String graphName = "stemroom_test_graph";

    /** The element type of inputs and outputs declared from now on ({@link #FLOAT} or {@link #DOUBLE}). */
    public OnnxGraphBuilder elementType(int type) {
        if (type != FLOAT && type != DOUBLE) throw new IllegalArgumentException("element type " + type);
        this.elementType = type;
        return this;
    }

    /** The graph's name in the ModelProto (tools show it). */
    public OnnxGraphBuilder graphName(String name) {
        this.graphName = name;
        return this;
    }

    /** Declares a float graph input; dims &lt; 0 are dynamic (named "d0", "d1", ...). */
    public OnnxGraphBuilder input(String name, long... dims) {
        inputs.add(valueInfo(name, dims));
        return this;
    }

    public OnnxGraphBuilder output(String name, long... dims) {
        outputs.add(valueInfo(name, dims));
        return this;
    }

    /** A float constant (initializer) of the given shape. */
    public OnnxGraphBuilder constant(String name, float[] values, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) bb.putFloat(v);
        initializers.add(tensor(name, FLOAT, dims, bb.array()));
        return this;
    }

    /** A float64 constant (initializer) of the given shape. */
    public OnnxGraphBuilder constantDouble(String name, double[] values, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) bb.putDouble(v);
        initializers.add(tensor(name, DOUBLE, dims, bb.array()));
        return this;
    }

    /** An int64 constant, e.g. Unsqueeze axes or Reshape shapes. */
    public OnnxGraphBuilder constantLong(String name, long[] values, long... dims) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) bb.putLong(v);
        initializers.add(tensor(name, INT64, dims, bb.array()));
        return this;
    }

    /** A node without attributes. */
    public OnnxGraphBuilder node(String opType, String[] in, String[] out) {
        return node(opType, in, out, new byte[0][]);
    }

    /** A node with attributes made by {@link #intAttr}, {@link #intsAttr}, {@link #floatAttr}. */
    public OnnxGraphBuilder node(String opType, String[] in, String[] out, byte[]... attributes) {
        nodes.add(nodeProto(opType, opType + "_" + (counter++), in, out, attributes));
        return this;
    }

    /** A serialized NodeProto named {@code name}, for code that edits an existing graph. */
    public static byte[] nodeProto(String opType, String name, String[] in, String[] out, byte[]... attributes) {
        return message(o -> {
            for (String s : in) o.writeString(1, s);
            for (String s : out) o.writeString(2, s);
            o.writeString(3, name);
            o.writeString(4, opType);
            for (byte[] a : attributes) o.writeByteArray(5, a);
        });
    }

    public static byte[] intAttr(String name, long v) {
        return message(o -> { o.writeString(1, name); o.writeInt64(3, v); o.writeInt32(20, 2); });
    }

    public static byte[] floatAttr(String name, float v) {
        return message(o -> { o.writeString(1, name); o.writeFloat(2, v); o.writeInt32(20, 1); });
    }

    public static byte[] stringAttr(String name, String v) {
        return message(o -> { o.writeString(1, name); o.writeBytes(4, ByteString.copyFromUtf8(v)); o.writeInt32(20, 3); });
    }

    public static byte[] intsAttr(String name, long... v) {
        return message(o -> { o.writeString(1, name); for (long x : v) o.writeInt64(8, x); o.writeInt32(20, 7); });
    }

    /** The serialized ModelProto. */
    public byte[] build() {
        byte[] graph = message(o -> {
            for (byte[] n : nodes) o.writeByteArray(1, n);
            o.writeString(2, graphName);
            for (byte[] t : initializers) o.writeByteArray(5, t);
            for (byte[] v : inputs) o.writeByteArray(11, v);
            for (byte[] v : outputs) o.writeByteArray(12, v);
        });
        byte[] opset = message(o -> { o.writeString(1, ""); o.writeInt64(2, 13); });
        return message(o -> {
            o.writeInt64(1, 8);
            o.writeString(2, "stemroom");
            o.writeByteArray(7, graph);
            o.writeByteArray(8, opset);
        });
    }

    private static byte[] tensor(String name, int type, long[] dims, byte[] raw) {
        return message(o -> {
            for (long d : dims) o.writeInt64(1, d);
            o.writeInt32(2, type);
            o.writeString(8, name);
            o.writeBytes(9, ByteString.copyFrom(raw));
        });
    }

    private byte[] valueInfo(String name, long[] dims) {
        int elemType = elementType;
        byte[] shape = message(o -> {
            for (int i = 0; i < dims.length; i++) {
                long d = dims[i];
                int idx = i;
                o.writeByteArray(1, message(x -> {
                    if (d >= 0) x.writeInt64(1, d); else x.writeString(2, name + "_d" + idx);
                }));
            }
        });
        byte[] tensorType = message(o -> { o.writeInt32(1, elemType); o.writeByteArray(2, shape); });
        byte[] type = message(o -> o.writeByteArray(1, tensorType));
        return message(o -> { o.writeString(1, name); o.writeByteArray(2, type); });
    }

    private interface Body { void write(CodedOutputStream o) throws IOException; }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            CodedOutputStream o = CodedOutputStream.newInstance(bos);
            body.write(o);
            o.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
