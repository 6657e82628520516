package org.stemroom.trainer.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stemroom.separation.onnx.OnnxGraphBuilder;

/**
 * An ONNX graph written op by op, that can append its own backward pass: reverse-mode differentiation done by
 * us, op by op, with one backward rule per forward op (below), emitted as ordinary ONNX nodes. So one graph can
 * hold forward pass, loss, gradients and the optimizer update, and an ordinary ONNX Runtime inference session
 * runs a whole training step.
 *
 * <p>Shapes are tracked statically (numpy broadcasting, right-aligned); a dimension of -1 is allowed only on
 * values that need no gradient (the exported inference graph's dynamic batch). The element type is float32 or
 * float64 for the whole graph: the gradient checks build the very same graphs in float64.
 *
 * <p>Backward rules (g = gradient of the output, y = output):
 * <ul>
 *   <li>MatMul {@code y = a b}, b of rank 2: {@code da = g b^T}, {@code db = a^T g} (a's leading axes flattened);</li>
 *   <li>Add / Sub / Mul / Div with broadcasting: the elementwise rule, then summed over the broadcast axes;</li>
 *   <li>Relu: {@code g * [x > 0]}; Sigmoid: {@code g y (1 - y)}; Log: {@code g / x}; Sqrt: {@code g / (2 y)};
 *       Exp: {@code g y};</li>
 *   <li>Softmax over one axis: {@code y (g - sum_axis(g y))};</li>
 *   <li>ReduceMean / ReduceSum over all axes: {@code g} broadcast back (divided by the count for the mean);</li>
 *   <li>Reshape: reshaped back; Transpose: the inverse permutation; Concat: sliced back.</li>
 * </ul>
 */
public final class AutodiffGraph {

    /** A tensor in the graph: its ONNX name and static shape. */
    public static final class Value {
        public final String name;
        final long[] shape;
        final boolean needsGrad;

        Value(String name, long[] shape, boolean needsGrad) {
            this.name = name;
            this.shape = shape;
            this.needsGrad = needsGrad;
        }

        public long[] shape() { return shape.clone(); }

        public long size() {
            long n = 1;
            for (long d : shape) n *= d;
            return n;
        }

        @Override
        public String toString() { return name + Arrays.toString(shape); }
    }

    private interface Backward {
        /** Adds the gradients of this op's inputs, given the gradient of its output. */
        void apply(Value grad);
    }

    private record TapeEntry(Value out, Backward rule) { }

    private final OnnxGraphBuilder b = new OnnxGraphBuilder();
    private final boolean dbl;
    private final List<TapeEntry> tape = new ArrayList<>();
    private final Map<String, Value> grads = new HashMap<>();
    private final Map<String, Value> scalarConstants = new HashMap<>();
    private int counter;

    /** @param float64 build in double precision (gradient checks) instead of float32 */
    public AutodiffGraph(boolean float64) {
        this.dbl = float64;
        b.elementType(float64 ? OnnxGraphBuilder.DOUBLE : OnnxGraphBuilder.FLOAT);
    }

    public boolean isFloat64() { return dbl; }

    public AutodiffGraph graphName(String name) {
        b.graphName(name);
        return this;
    }

    // ------------------------------------------------------------------ leaves

    /** A graph input that needs no gradient (data). */
    public Value input(String name, long... shape) {
        b.input(name, shape);
        return new Value(name, shape.clone(), false);
    }

    /** A graph input whose gradient {@link #gradients} will produce (a trainable parameter). */
    public Value param(String name, long... shape) {
        for (long d : shape) if (d < 0) throw new IllegalArgumentException("parameter " + name + " needs a static shape");
        b.input(name, shape);
        return new Value(name, shape.clone(), true);
    }

    /** A constant tensor (initializer); the values are stored in the graph's element type. */
    public Value constant(String hint, double[] values, long... shape) {
        String name = fresh(hint);
        if (dbl) {
            b.constantDouble(name, values, shape);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            b.constant(name, f, shape);
        }
        return new Value(name, shape.clone(), false);
    }

    /** A float constant, stored as float32 in a float32 graph without passing through double. */
    public Value constant(String hint, float[] values, long... shape) {
        if (dbl) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) d[i] = values[i];
            return constant(hint, d, shape);
        }
        String name = fresh(hint);
        b.constant(name, values, shape);
        return new Value(name, shape.clone(), false);
    }

    /** A shared scalar constant of shape [1]. */
    public Value scalar(double v) {
        String key = Double.toString(v);
        Value c = scalarConstants.get(key);
        if (c == null) {
            c = constant("c", new double[] {v}, 1);
            scalarConstants.put(key, c);
        }
        return c;
    }

    private String longs(long... v) {
        String name = fresh("i64");
        b.constantLong(name, v, v.length);
        return name;
    }

    String fresh(String hint) {
        return hint + "__" + (counter++);
    }

    private Value node(String op, Value[] in, long[] shape, boolean needsGrad, byte[]... attrs) {
        String[] names = new String[in.length];
        for (int i = 0; i < in.length; i++) names[i] = in[i].name;
        return nodeNamed(op, names, shape, needsGrad, attrs);
    }

    private Value nodeNamed(String op, String[] in, long[] shape, boolean needsGrad, byte[]... attrs) {
        String out = fresh(op.toLowerCase());
        b.node(op, in, new String[] {out}, attrs);
        return new Value(out, shape, needsGrad);
    }

    private void record(Value out, Backward rule) {
        if (out.needsGrad) tape.add(new TapeEntry(out, rule));
    }

    // ------------------------------------------------------------------ forward ops

    /** {@code a b} with b of rank 2 and a of rank >= 2 (leading axes batched). */
    public Value matmul(Value a, Value w) {
        if (w.shape.length != 2 || a.shape.length < 2 || a.shape[a.shape.length - 1] != w.shape[0]) {
            throw new IllegalArgumentException("matmul " + a + " x " + w);
        }
        long[] s = a.shape.clone();
        s[s.length - 1] = w.shape[1];
        Value y = node("MatMul", new Value[] {a, w}, s, a.needsGrad || w.needsGrad);
        record(y, g -> {
            if (a.needsGrad) accumulate(a, matmulRaw(g, transpose2(w)));
            if (w.needsGrad) {
                Value a2 = a.shape.length == 2 ? a : reshapeRaw(a, -1, a.shape[a.shape.length - 1]);
                Value g2 = g.shape.length == 2 ? g : reshapeRaw(g, -1, g.shape[g.shape.length - 1]);
                accumulate(w, matmulRaw(transpose2(a2), g2));
            }
        });
        return y;
    }

    public Value add(Value a, Value c) {
        Value y = node("Add", new Value[] {a, c}, broadcast(a.shape, c.shape), a.needsGrad || c.needsGrad);
        record(y, g -> {
            if (a.needsGrad) accumulate(a, sumTo(g, a.shape));
            if (c.needsGrad) accumulate(c, sumTo(g, c.shape));
        });
        return y;
    }

    public Value sub(Value a, Value c) {
        Value y = node("Sub", new Value[] {a, c}, broadcast(a.shape, c.shape), a.needsGrad || c.needsGrad);
        record(y, g -> {
            if (a.needsGrad) accumulate(a, sumTo(g, a.shape));
            if (c.needsGrad) accumulate(c, sumTo(raw("Neg", g), c.shape));
        });
        return y;
    }

    public Value mul(Value a, Value c) {
        Value y = node("Mul", new Value[] {a, c}, broadcast(a.shape, c.shape), a.needsGrad || c.needsGrad);
        record(y, g -> {
            if (a.needsGrad) accumulate(a, sumTo(raw("Mul", g, c), a.shape));
            if (c.needsGrad) accumulate(c, sumTo(raw("Mul", g, a), c.shape));
        });
        return y;
    }

    public Value div(Value a, Value c) {
        Value y = node("Div", new Value[] {a, c}, broadcast(a.shape, c.shape), a.needsGrad || c.needsGrad);
        record(y, g -> {
            if (a.needsGrad) accumulate(a, sumTo(raw("Div", g, c), a.shape));
            // d(a/c)/dc = -y / c
            if (c.needsGrad) accumulate(c, sumTo(raw("Neg", raw("Div", raw("Mul", g, y), c)), c.shape));
        });
        return y;
    }

    public Value relu(Value x) {
        Value y = node("Relu", new Value[] {x}, x.shape, x.needsGrad);
        record(y, g -> {
            Value pos = castToMine(nodeNamed("Greater", new String[] {x.name, scalar(0).name}, x.shape, false));
            accumulate(x, raw("Mul", g, pos));
        });
        return y;
    }

    public Value sigmoid(Value x) {
        Value y = node("Sigmoid", new Value[] {x}, x.shape, x.needsGrad);
        record(y, g -> accumulate(x, raw("Mul", raw("Mul", g, y), raw("Sub", scalar(1), y))));
        return y;
    }

    public Value exp(Value x) {
        Value y = node("Exp", new Value[] {x}, x.shape, x.needsGrad);
        record(y, g -> accumulate(x, raw("Mul", g, y)));
        return y;
    }

    public Value log(Value x) {
        Value y = node("Log", new Value[] {x}, x.shape, x.needsGrad);
        record(y, g -> accumulate(x, raw("Div", g, x)));
        return y;
    }

    public Value sqrt(Value x) {
        Value y = node("Sqrt", new Value[] {x}, x.shape, x.needsGrad);
        record(y, g -> accumulate(x, raw("Div", g, raw("Mul", y, scalar(2)))));
        return y;
    }

    /** Softmax over one axis (opset 13 semantics: that axis alone). */
    public Value softmax(Value x, int axis) {
        int ax = axis < 0 ? axis + x.shape.length : axis;
        Value y = node("Softmax", new Value[] {x}, x.shape, x.needsGrad, OnnxGraphBuilder.intAttr("axis", ax));
        record(y, g -> {
            Value gy = raw("Mul", g, y);
            long[] rs = x.shape.clone();
            rs[ax] = 1;
            Value s = nodeNamed("ReduceSum", new String[] {gy.name, longs(ax)}, rs, false,
                    OnnxGraphBuilder.intAttr("keepdims", 1));
            accumulate(x, raw("Mul", y, raw("Sub", g, s)));
        });
        return y;
    }

    /** Mean of all elements, shape [1]. */
    public Value reduceMeanAll(Value x) {
        return reduceAll(x, true);
    }

    /** Sum of all elements, shape [1]. */
    public Value reduceSumAll(Value x) {
        return reduceAll(x, false);
    }

    private Value reduceAll(Value x, boolean mean) {
        long[] axes = new long[x.shape.length];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        long[] ones = new long[x.shape.length];
        Arrays.fill(ones, 1);
        Value r = mean
                ? nodeNamed("ReduceMean", new String[] {x.name}, ones, x.needsGrad, OnnxGraphBuilder.intsAttr("axes", axes),
                        OnnxGraphBuilder.intAttr("keepdims", 1))
                : nodeNamed("ReduceSum", new String[] {x.name, longs(axes)}, ones, x.needsGrad,
                        OnnxGraphBuilder.intAttr("keepdims", 1));
        long count = x.size();
        record(r, g -> {
            Value e = nodeNamed("Expand", new String[] {g.name, longs(x.shape)}, x.shape, false);
            accumulate(x, mean ? raw("Mul", e, scalar(1.0 / count)) : e);
        });
        return reshape(r, 1);
    }

    public Value reshape(Value x, long... shape) {
        long[] s = resolveShape(x, shape);
        Value y = nodeNamed("Reshape", new String[] {x.name, longs(shape)}, s, x.needsGrad);
        record(y, g -> accumulate(x, reshapeRaw(g, x.shape)));
        return y;
    }

    public Value transpose(Value x, long... perm) {
        long[] s = new long[perm.length];
        for (int i = 0; i < perm.length; i++) s[i] = x.shape[(int) perm[i]];
        Value y = node("Transpose", new Value[] {x}, s, x.needsGrad, OnnxGraphBuilder.intsAttr("perm", perm));
        record(y, g -> {
            long[] inv = new long[perm.length];
            for (int i = 0; i < perm.length; i++) inv[(int) perm[i]] = i;
            accumulate(x, nodeNamed("Transpose", new String[] {g.name}, x.shape, false,
                    OnnxGraphBuilder.intsAttr("perm", inv)));
        });
        return y;
    }

    public Value concat(int axis, Value... xs) {
        int ax = axis < 0 ? axis + xs[0].shape.length : axis;
        long[] s = xs[0].shape.clone();
        s[ax] = 0;
        boolean ng = false;
        String[] names = new String[xs.length];
        for (int i = 0; i < xs.length; i++) {
            s[ax] += xs[i].shape[ax];
            ng |= xs[i].needsGrad;
            names[i] = xs[i].name;
        }
        Value y = nodeNamed("Concat", names, s, ng, OnnxGraphBuilder.intAttr("axis", ax));
        record(y, g -> {
            long off = 0;
            for (Value x : xs) {
                long len = x.shape[ax];
                if (x.needsGrad) accumulate(x, slice(g, ax, off, off + len));
                off += len;
            }
        });
        return y;
    }

    /**
     * Elements {@code [start, end)} of one axis (no gradient: used on data and in backward rules); ends count from
     * the back when negative, as in ONNX, and leave the axis dynamic.
     */
    public Value slice(Value x, int axis, long start, long end) {
        long[] s = x.shape.clone();
        s[axis] = x.shape[axis] < 0 || end < 0 || end == Long.MAX_VALUE ? -1 : end - start;
        return nodeNamed("Slice", new String[] {x.name, longs(start), longs(end), longs(axis)}, s, false);
    }

    /** Pads one axis by repeating the edge elements (no gradient: used on data). */
    public Value padEdge(Value x, int axis, long before, long after) {
        long[] pads = new long[2 * x.shape.length];
        pads[axis] = before;
        pads[x.shape.length + axis] = after;
        long[] s = x.shape.clone();
        if (s[axis] >= 0) s[axis] += before + after;
        return nodeNamed("Pad", new String[] {x.name, longs(pads)}, s, false, OnnxGraphBuilder.stringAttr("mode", "edge"));
    }

    public Value unsqueeze(Value x, int axis) {
        long[] s = new long[x.shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) s[i] = i == axis ? 1 : x.shape[j++];
        if (x.needsGrad) throw new IllegalArgumentException("unsqueeze is for data only; use reshape");
        return nodeNamed("Unsqueeze", new String[] {x.name, longs(axis)}, s, false);
    }

    /** An op without gradient (Pow, Sqrt, ... in the optimizer update), elementwise with broadcasting. */
    public Value raw(String op, Value... in) {
        long[] s = in[0].shape;
        for (int i = 1; i < in.length; i++) s = broadcast(s, in[i].shape);
        return node(op, in, s, false);
    }

    private Value castToMine(Value x) {
        return node("Cast", new Value[] {x}, x.shape, false, OnnxGraphBuilder.intAttr("to", dbl ? 11 : 1));
    }

    private Value matmulRaw(Value a, Value w) {
        long[] s = a.shape.clone();
        s[s.length - 1] = w.shape[1];
        return node("MatMul", new Value[] {a, w}, s, false);
    }

    private Value transpose2(Value x) {
        return node("Transpose", new Value[] {x}, new long[] {x.shape[1], x.shape[0]}, false,
                OnnxGraphBuilder.intsAttr("perm", 1, 0));
    }

    private Value reshapeRaw(Value x, long... shape) {
        return nodeNamed("Reshape", new String[] {x.name, longs(shape)}, resolveShape(x, shape), false);
    }

    private static long[] resolveShape(Value x, long[] shape) {
        long[] s = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == 0) s[i] = x.shape[i];
            if (s[i] == -1) unknown = i; else known *= s[i];
        }
        long total = x.size();
        if (unknown >= 0 && total > 0) s[unknown] = total / known;
        return s;
    }

    /** Sums a broadcast gradient back to the shape of the operand it came from. */
    private Value sumTo(Value g, long[] target) {
        if (Arrays.equals(g.shape, target)) return g;
        int lead = g.shape.length - target.length;
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < g.shape.length; i++) {
            if (i < lead || (target[i - lead] == 1 && g.shape[i] != 1)) axes.add((long) i);
        }
        Value r = g;
        if (!axes.isEmpty()) {
            long[] ax = axes.stream().mapToLong(Long::longValue).toArray();
            long[] rs = g.shape.clone();
            for (long a : ax) rs[(int) a] = 1;
            r = nodeNamed("ReduceSum", new String[] {g.name, longs(ax)}, rs, false, OnnxGraphBuilder.intAttr("keepdims", 1));
        }
        return reshapeRaw(r, target);
    }

    static long[] broadcast(long[] a, long[] c) {
        int n = Math.max(a.length, c.length);
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            long x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            long y = i - (n - c.length) >= 0 ? c[i - (n - c.length)] : 1;
            if (x != y && x != 1 && y != 1 && x >= 0 && y >= 0) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(c)
                        + " do not broadcast");
            }
            s[i] = x == 1 ? y : x;
        }
        return s;
    }

    private void accumulate(Value x, Value g) {
        Value old = grads.get(x.name);
        grads.put(x.name, old == null ? g : node("Add", new Value[] {old, g}, x.shape, false));
    }

    // ------------------------------------------------------------------ backward pass and output

    /**
     * Appends the backward pass of {@code loss} (shape [1]) and returns the gradient of each parameter, in order.
     * Call once, after the whole forward pass.
     */
    public Map<Value, Value> gradients(Value loss, List<Value> params) {
        if (loss.size() != 1) throw new IllegalArgumentException("loss must be a scalar, is " + loss);
        grads.clear();
        grads.put(loss.name, scalar(1));
        for (int i = tape.size() - 1; i >= 0; i--) {
            TapeEntry e = tape.get(i);
            Value g = grads.get(e.out.name);
            if (g != null) e.rule.apply(g);
        }
        Map<Value, Value> out = new LinkedHashMap<>();
        for (Value p : params) {
            Value g = grads.get(p.name);
            if (g == null) g = raw("Mul", p, scalar(0)); // the loss does not depend on it
            out.put(p, g);
        }
        tape.clear();
        return out;
    }

    /** Names {@code v} as graph output {@code name}. */
    public void output(Value v, String name) {
        b.node("Identity", new String[] {v.name}, new String[] {name});
        b.output(name, v.shape);
    }

    public byte[] build() {
        return b.build();
    }
}
