package org.stemroom.trainer.train;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.stemroom.separation.onnx.OnnxGraphBuilder;

/**
 * Stores a model's large float initializers as IEEE 754 half precision, each followed by a {@code Cast} back to
 * float in the graph, so the file is about half the size (the shipped model must stay small in the repository)
 * while every op still computes in float. ONNX Runtime folds the casts at load time, so inference costs the same.
 *
 * <p>Works on the protobuf wire format by field number (onnx.proto: ModelProto.graph 7; GraphProto.node 1,
 * initializer 5, input 11; TensorProto.dims 1, data_type 2, name 8, raw_data 9; NodeProto input 1, output 2,
 * name 3, op_type 4, attribute 5; AttributeProto name 1, i 3, type 20), keeping every other field as it is.
 */
public final class HalfPrecisionWeights {
    private static final int FLOAT = 1;
    private static final int FLOAT16 = 10;

    private HalfPrecisionWeights() { }

    /**
     * The model with every float initializer of at least {@code minElements} elements (stored as raw_data) in half
     * precision; smaller ones (scalars, biases worth keeping exact) stay float.
     */
    public static byte[] convert(byte[] model, int minElements) {
        try {
            UnknownFieldSet m = UnknownFieldSet.parseFrom(model);
            UnknownFieldSet.Field graphField = m.getField(7);
            if (graphField.getLengthDelimitedList().size() != 1) {
                throw new IllegalArgumentException("not an ONNX model: no graph");
            }
            UnknownFieldSet g = UnknownFieldSet.parseFrom(graphField.getLengthDelimitedList().get(0));
            List<ByteString> casts = new ArrayList<>();
            List<ByteString> initializers = new ArrayList<>();
            for (ByteString t : g.getField(5).getLengthDelimitedList()) {
                UnknownFieldSet ts = UnknownFieldSet.parseFrom(t);
                ByteString raw = ts.getField(9).getLengthDelimitedList().isEmpty() ? null
                        : ts.getField(9).getLengthDelimitedList().get(0);
                long type = ts.getField(2).getVarintList().isEmpty() ? 0 : ts.getField(2).getVarintList().get(0);
                if (type != FLOAT || raw == null || raw.size() / 4 < minElements) {
                    initializers.add(t);
                    continue;
                }
                String name = ts.getField(8).getLengthDelimitedList().get(0).toStringUtf8();
                String halfName = name + "/float16";
                UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder(ts);
                b.clearField(2).clearField(8).clearField(9);
                b.addField(2, UnknownFieldSet.Field.newBuilder().addVarint(FLOAT16).build());
                b.addField(8, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(halfName)).build());
                b.addField(9, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFrom(toHalf(raw))).build());
                initializers.add(b.build().toByteString());
                casts.add(castNode(halfName, name));
            }
            UnknownFieldSet.Builder gb = UnknownFieldSet.newBuilder(g);
            // the casts first: nodes are listed in topological order
            UnknownFieldSet.Field.Builder nodes = UnknownFieldSet.Field.newBuilder();
            for (ByteString c : casts) nodes.addLengthDelimited(c);
            for (ByteString n : g.getField(1).getLengthDelimitedList()) nodes.addLengthDelimited(n);
            UnknownFieldSet.Field.Builder inits = UnknownFieldSet.Field.newBuilder();
            for (ByteString t : initializers) inits.addLengthDelimited(t);
            gb.clearField(1).addField(1, nodes.build());
            gb.clearField(5).addField(5, inits.build());
            UnknownFieldSet.Builder mb = UnknownFieldSet.newBuilder(m);
            mb.clearField(7).addField(7, UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(gb.build().toByteString()).build());
            return mb.build().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** IEEE 754 binary16 bits of {@code f}, rounded to nearest, ties to even (subnormals, infinities, NaN kept). */
    public static short toHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xFF;
        int mant = x & 0x7FFFFF;
        if (exp == 0xFF) return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1F) return (short) (sign | 0x7C00);                 // overflow: infinity
        if (e <= 0) {                                                   // subnormal half (or zero)
            if (e < -10) return (short) sign;
            int m = mant | 0x800000;                                    // implicit leading one
            int shift = 14 - e;                                         // 24-bit significand -> 10-bit at 2^-24
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1), mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) != 0)) half++;
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++; // may carry into the exponent: correct
        return (short) (sign | half);
    }

    /** The float value of binary16 bits {@code h}. */
    public static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        if (exp == 0) return Float.intBitsToFloat(sign | Float.floatToRawIntBits(mant * 0x1p-24f));
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    private static byte[] toHalf(ByteString raw) {
        ByteBuffer in = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(raw.size() / 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() >= 4) out.putShort(toHalf(in.getFloat()));
        return out.array();
    }

    private static ByteString castNode(String in, String out) {
        return ByteString.copyFrom(OnnxGraphBuilder.nodeProto("Cast", "cast " + in, new String[] {in},
                new String[] {out}, OnnxGraphBuilder.intAttr("to", FLOAT)));
    }
}
