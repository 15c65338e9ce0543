package dev.falcon.engine;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A libtorch tensor. The rest of the project does its math through this class, so that JavaCPP types
 * stay inside {@code engine}. Every method returns a new tensor unless its name ends in an underscore
 * (in place, as in PyTorch). Native memory is freed by the enclosing {@link Engine#scope()} or by the
 * garbage collector.
 */
public final class Tensor {

    final org.bytedeco.pytorch.Tensor t;

    Tensor(org.bytedeco.pytorch.Tensor t) {
        this.t = t;
    }

    static {
        Engine.init();
    }

    // ---- creation ------------------------------------------------------------------------------

    public static Tensor of(float[] data, long... shape) {
        checkCount(data.length, shape);
        return copyOf(new FloatPointer(data), shape, ScalarType.Float);
    }

    public static Tensor of(double[] data, long... shape) {
        checkCount(data.length, shape);
        return copyOf(new DoublePointer(data), shape, ScalarType.Double);
    }

    public static Tensor ofLongs(long[] data, long... shape) {
        checkCount(data.length, shape);
        return copyOf(new LongPointer(data), shape, ScalarType.Long);
    }

    /** Copies raw little-endian bytes (for example a memory-mapped safetensors region) into a tensor. */
    public static Tensor fromBytes(ByteBuffer data, DType dtype, long... shape) {
        checkCount(data.remaining() / dtype.byteSize(), shape);
        ByteBuffer direct = data;
        if (!data.isDirect()) {
            direct = ByteBuffer.allocateDirect(data.remaining());
            direct.put(data.duplicate()).flip();
        }
        Tensor copy = copyOf(new BytePointer(direct), shape, scalarType(dtype));
        // the BytePointer does not keep a heap-backed copy alive by itself
        Reference.reachabilityFence(direct);
        return copy;
    }

    /**
     * The file's bytes [offset, offset + n) as a tensor of dtype and shape, without a copy: the file is
     * memory-mapped copy-on-write (MAP_PRIVATE), so a write into the tensor never reaches the file, and
     * the mapping belongs to the tensor's storage, so it is unmapped (and the pages read through it leave
     * the process's resident memory) when the last tensor on it is freed, by whatever path. An offset
     * that is not a multiple of the element size cannot be viewed in place: those bytes are copied.
     */
    public static Tensor mapped(Path file, long offset, DType dtype, long... shape) {
        long n = Math.multiplyExact(dtype.byteSize(), elementCount(shape));
        org.bytedeco.pytorch.Tensor whole = torch.from_file(file.toString(), new BoolOptional(false),
                new LongOptional(offset + n), options(ScalarType.Byte));
        org.bytedeco.pytorch.Tensor bytes = whole.narrow(0, offset, n);
        whole.close();
        if (offset % dtype.byteSize() != 0) {
            org.bytedeco.pytorch.Tensor copy = bytes.clone();
            bytes.close();
            bytes = copy;
        }
        org.bytedeco.pytorch.Tensor typed = bytes.view(scalarType(dtype));
        bytes.close();
        Tensor view = new Tensor(typed.view(shape));
        // every handle in between would hold the mapping until the garbage collector freed it
        typed.close();
        return view;
    }

    /**
     * A tensor that owns a copy of the memory p points to. p must stay reachable until the copy is done:
     * the garbage collector would otherwise free the memory under from_blob's view of it.
     */
    private static Tensor copyOf(Pointer p, long[] shape, ScalarType type) {
        Tensor copy = new Tensor(torch.from_blob(p, shape, options(type)).clone());
        Reference.reachabilityFence(p);
        return copy;
    }

    /**
     * An owned handle on a tensor that a JavaCPP container, tuple or parent tensor returned by reference:
     * such a reference dangles once its owner is freed, so every one of them is copied (which shares the
     * storage and counts a reference to it) before the owner can be collected.
     */
    private static Tensor owned(org.bytedeco.pytorch.Tensor reference) {
        return new Tensor(new org.bytedeco.pytorch.Tensor(reference));
    }

    public static Tensor zeros(DType dtype, long... shape) {
        return new Tensor(torch.zeros(shape, options(scalarType(dtype))));
    }

    public static Tensor ones(DType dtype, long... shape) {
        return new Tensor(torch.ones(shape, options(scalarType(dtype))));
    }

    public static Tensor full(DType dtype, double value, long... shape) {
        return new Tensor(torch.full(shape, new Scalar(value), options(scalarType(dtype))));
    }

    /** Zeros of this tensor's shape and dtype. */
    public Tensor zerosLike() {
        return new Tensor(torch.zeros_like(t));
    }

    /** The n x n identity matrix. */
    public static Tensor eye(DType dtype, long n) {
        return new Tensor(torch.eye(n, options(scalarType(dtype))));
    }

    /** 0, 1, ..., n-1 as int64. */
    public static Tensor arange(long n) {
        return new Tensor(torch.arange(new Scalar(n), options(ScalarType.Long)));
    }

    public static Tensor randn(Rng rng, DType dtype, long... shape) {
        return new Tensor(torch.randn(shape, new GeneratorOptional(rng.g), options(scalarType(dtype))));
    }

    /** Uniform in [0, 1). */
    public static Tensor rand(Rng rng, DType dtype, long... shape) {
        return new Tensor(torch.rand(shape, new GeneratorOptional(rng.g), options(scalarType(dtype))));
    }

    public static Tensor cat(List<Tensor> parts, long dim) {
        return new Tensor(torch.cat(vector(parts), dim));
    }

    public static Tensor stack(List<Tensor> parts, long dim) {
        return new Tensor(torch.stack(vector(parts), dim));
    }

    // ---- shape and type ------------------------------------------------------------------------

    public long[] shape() {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) {
            s[i] = t.size(i);
        }
        return s;
    }

    public long size(long dim) {
        return t.size(dim < 0 ? dim + t.dim() : dim);
    }

    public int dim() {
        return (int) t.dim();
    }

    public long numel() {
        return t.numel();
    }

    public DType dtype() {
        // JavaCPP returns enum constants built from the native value with ordinal 0, so neither
        // switch nor == works on them: compare the native values.
        int v = t.scalar_type().value;
        for (DType d : DType.values()) {
            if (scalarType(d).value == v) {
                return d;
            }
        }
        throw new IllegalStateException("unsupported scalar type " + t.scalar_type());
    }

    public Tensor to(DType dtype) {
        return dtype() == dtype ? this : new Tensor(t.to(scalarType(dtype)));
    }

    public Tensor reshape(long... shape) {
        return new Tensor(t.reshape(shape));
    }

    public Tensor view(long... shape) {
        return new Tensor(t.view(shape));
    }

    public Tensor transpose(long a, long b) {
        return new Tensor(t.transpose(a, b));
    }

    /** Transpose of a 2-d tensor. */
    public Tensor t() {
        return new Tensor(t.t());
    }

    public Tensor permute(long... dims) {
        return new Tensor(t.permute(dims));
    }

    public Tensor contiguous() {
        return new Tensor(t.contiguous());
    }

    public Tensor unsqueeze(long dim) {
        return new Tensor(t.unsqueeze(dim));
    }

    public Tensor squeeze(long dim) {
        return new Tensor(t.squeeze(dim));
    }

    public Tensor expand(long... shape) {
        return new Tensor(t.expand(shape));
    }

    /** Elements [start, start + length) along dim, as a view. */
    public Tensor narrow(long dim, long start, long length) {
        return new Tensor(t.narrow(dim, start, length));
    }

    public Tensor select(long dim, long index) {
        return new Tensor(t.select(dim, index));
    }

    public Tensor indexSelect(long dim, Tensor index) {
        return new Tensor(t.index_select(dim, index.t));
    }

    public Tensor gather(long dim, Tensor index) {
        return new Tensor(t.gather(dim, index.t));
    }

    /** A copy of this with src[i] written at index[i] along dim. */
    public Tensor scatter(long dim, Tensor index, Tensor src) {
        return new Tensor(t.scatter(dim, index.t, src.t));
    }

    public Tensor repeatInterleave(long repeats, long dim) {
        return new Tensor(t.repeat_interleave(repeats, new LongOptional(dim), new LongOptional()));
    }

    /**
     * Another handle on this tensor: the same storage and, for autograd, the same tensor. It is freed
     * on its own (its scope, {@link #release()} or the garbage collector), which lets a holder of a
     * tensor hand it out and still free its own handle at a time of its choosing.
     */
    public Tensor share() {
        return owned(t);
    }

    /**
     * Frees this handle now rather than when its scope closes or it is collected; the storage lives on
     * while other handles or autograd's saved tensors hold it. The handle must not be used afterwards.
     */
    public void release() {
        t.close();
    }

    public Tensor clone() {
        return new Tensor(t.clone());
    }

    public Tensor detach() {
        return new Tensor(t.detach());
    }

    // ---- elementwise ---------------------------------------------------------------------------

    public Tensor add(Tensor o) {
        return new Tensor(t.add(o.t));
    }

    public Tensor add(double v) {
        return new Tensor(t.add(new Scalar(v)));
    }

    public Tensor sub(Tensor o) {
        return new Tensor(t.sub(o.t));
    }

    public Tensor mul(Tensor o) {
        return new Tensor(t.mul(o.t));
    }

    public Tensor mul(double v) {
        return new Tensor(t.mul(new Scalar(v)));
    }

    public Tensor div(Tensor o) {
        return new Tensor(t.div(o.t));
    }

    public Tensor div(double v) {
        return new Tensor(t.div(new Scalar(v)));
    }

    public Tensor neg() {
        return new Tensor(t.neg());
    }

    public Tensor exp() {
        return new Tensor(t.exp());
    }

    public Tensor log() {
        return new Tensor(t.log());
    }

    public Tensor sqrt() {
        return new Tensor(t.sqrt());
    }

    public Tensor square() {
        return new Tensor(t.square());
    }

    public Tensor abs() {
        return new Tensor(t.abs());
    }

    public Tensor sign() {
        return new Tensor(t.sign());
    }

    public Tensor tanh() {
        return new Tensor(t.tanh());
    }

    public Tensor sigmoid() {
        return new Tensor(t.sigmoid());
    }

    public Tensor logSigmoid() {
        return new Tensor(torch.log_sigmoid(t));
    }

    public Tensor silu() {
        return new Tensor(torch.silu(t));
    }

    public Tensor cos() {
        return new Tensor(torch.cos(t));
    }

    public Tensor sin() {
        return new Tensor(torch.sin(t));
    }

    public Tensor clampMax(double v) {
        return new Tensor(t.clamp_max(new Scalar(v)));
    }

    public Tensor clampMin(double v) {
        return new Tensor(t.clamp_min(new Scalar(v)));
    }

    public Tensor minimum(Tensor o) {
        return new Tensor(torch.minimum(t, o.t));
    }

    public Tensor maximum(Tensor o) {
        return new Tensor(torch.maximum(t, o.t));
    }

    /** Where mask is true, value; elsewhere this tensor's element. */
    public Tensor maskedFill(Tensor mask, double value) {
        return new Tensor(t.masked_fill(mask.t, new Scalar(value)));
    }

    /** Where cond is true, this; else other. */
    public Tensor where(Tensor cond, Tensor other) {
        return new Tensor(torch.where(cond.t, t, other.t));
    }

    public Tensor eq(double v) {
        return new Tensor(t.eq(new Scalar(v)));
    }

    public Tensor eqElementwise(Tensor o) {
        return new Tensor(t.eq(o.t));
    }

    public Tensor gt(double v) {
        return new Tensor(t.gt(new Scalar(v)));
    }

    public Tensor lt(double v) {
        return new Tensor(t.lt(new Scalar(v)));
    }

    public Tensor ge(Tensor o) {
        return new Tensor(t.ge(o.t));
    }

    public Tensor logicalNot() {
        return new Tensor(t.logical_not());
    }

    public Tensor cumsum(long dim) {
        return new Tensor(t.cumsum(dim));
    }

    // ---- reductions ----------------------------------------------------------------------------

    public Tensor sum() {
        return new Tensor(t.sum());
    }

    public Tensor sum(long dim, boolean keepDim) {
        return new Tensor(t.sum(new long[] {dim}, keepDim, new ScalarTypeOptional()));
    }

    public Tensor mean() {
        return new Tensor(t.mean());
    }

    public Tensor mean(long dim, boolean keepDim) {
        return new Tensor(t.mean(new long[] {dim}, keepDim, new ScalarTypeOptional()));
    }

    /** Euclidean norm of all elements. */
    public Tensor norm() {
        return new Tensor(t.norm());
    }

    public Tensor norm(long dim, boolean keepDim) {
        return new Tensor(t.norm(new ScalarOptional(new Scalar(2.0)), new long[] {dim}, keepDim));
    }

    public Tensor max() {
        return new Tensor(torch.max(t));
    }

    public Tensor min() {
        return new Tensor(torch.min(t));
    }

    public Tensor argmax(long dim) {
        return new Tensor(t.argmax(new LongOptional(dim), false));
    }

    public Tensor logsumexp(long dim, boolean keepDim) {
        return new Tensor(torch.logsumexp(t, new long[] {dim}, keepDim));
    }

    // ---- linear algebra and neural-network ops -------------------------------------------------

    public Tensor matmul(Tensor o) {
        return new Tensor(t.matmul(o.t));
    }

    /** x W^T (+ b): the layout of nn.Linear and of Hugging Face weight matrices. */
    public Tensor linear(Tensor weight, Tensor bias) {
        TensorOptional b = bias == null ? new TensorOptional() : new TensorOptional(bias.t);
        return new Tensor(torch.linear(t, weight.t, b));
    }

    /** Inner product of two 1-d tensors. */
    public Tensor dot(Tensor o) {
        return new Tensor(t.dot(o.t));
    }

    public Tensor outer(Tensor o) {
        return new Tensor(torch.outer(t, o.t));
    }

    public Tensor embedding(Tensor ids) {
        return new Tensor(torch.embedding(t, ids.t));
    }

    /** RMSNorm over the last dimension: x / sqrt(mean(x^2) + eps) * weight. */
    public Tensor rmsNorm(Tensor weight, double eps) {
        return new Tensor(torch.rms_norm(t, new long[] {t.size(t.dim() - 1)},
                new TensorOptional(weight.t), new DoubleOptional(eps)));
    }

    public Tensor softmax(long dim) {
        return new Tensor(t.softmax(dim));
    }

    public Tensor logSoftmax(long dim) {
        return new Tensor(t.log_softmax(dim));
    }

    /** Cosine similarity along dim, with PyTorch's eps = 1e-8. */
    public Tensor cosineSimilarity(Tensor o, long dim) {
        return new Tensor(torch.cosine_similarity(t, o.t, dim, 1e-8));
    }

    /**
     * softmax(q k^T / sqrt(d) + mask) v over [B, H, T, d] inputs. mask is an additive float mask
     * broadcastable to [B, H, Tq, Tk], or null with causal = true for plain causal attention.
     * Half-precision inputs are computed in float32 and the result cast back: libtorch's CPU kernel
     * takes about 60 times as long in BF16 as in F32 (measured: 144 ms against 2.4 ms for 9 heads x
     * 256 tokens), which made a whole BF16 forward twice as slow as F32.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal) {
        DType dtype = q.dtype();
        if (dtype == DType.BF16 || dtype == DType.F16) {
            return attention(q.to(DType.F32), k.to(DType.F32), v.to(DType.F32),
                    mask == null ? null : mask.to(DType.F32), causal).to(dtype);
        }
        TensorOptional m = mask == null ? new TensorOptional() : new TensorOptional(mask.t);
        return new Tensor(torch.scaled_dot_product_attention(q.t, k.t, v.t, m, 0.0, causal,
                new DoubleOptional(), false));
    }

    /** Thin SVD: returns {U, S, Vh}. */
    public Tensor[] svd() {
        T_TensorTensorTensor_T r = torch.linalg_svd(t, false, new StringViewOptional());
        Tensor[] usv = {owned(r.get0()), owned(r.get1()), owned(r.get2())};
        Reference.reachabilityFence(r);
        return usv;
    }

    /** Sort along dim, descending if asked: returns {values, indices}. */
    public Tensor[] sort(long dim, boolean descending) {
        T_TensorTensor_T r = torch.sort(t, dim, descending);
        Tensor[] sorted = {owned(r.get0()), owned(r.get1())};
        Reference.reachabilityFence(r);
        return sorted;
    }

    /** Draws one index per row from the given (unnormalised) probabilities. */
    public Tensor multinomial(Rng rng) {
        return new Tensor(torch.multinomial(t, 1, false, new GeneratorOptional(rng.g)));
    }

    // ---- autograd ------------------------------------------------------------------------------

    public Tensor requiresGrad(boolean on) {
        t.set_requires_grad(on);
        return this;
    }

    public boolean requiresGrad() {
        return t.requires_grad();
    }

    /** Accumulated gradient, or null when none has been computed. */
    public Tensor grad() {
        org.bytedeco.pytorch.Tensor g = t.grad();
        return g.defined() ? owned(g) : null;
    }

    public void backward() {
        t.backward();
    }

    /** d(this)/d(inputs) without accumulating into .grad(); this must be a scalar. */
    public Tensor[] gradients(List<Tensor> inputs, boolean retainGraph) {
        TensorVector out = torch.grad(new TensorVector(t), vector(inputs), new TensorVector(),
                new BoolOptional(retainGraph), false, false);
        Tensor[] result = new Tensor[inputs.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = owned(out.get(i));
        }
        Reference.reachabilityFence(out);
        return result;
    }

    // ---- in place (for optimizers; call under Engine.noGrad()) ----------------------------------

    public Tensor copy_(Tensor src) {
        t.copy_(src.t);
        return this;
    }

    public Tensor add_(Tensor o) {
        t.add_(o.t);
        return this;
    }

    /** this += alpha * o */
    public Tensor add_(Tensor o, double alpha) {
        t.add_(o.t, new Scalar(alpha));
        return this;
    }

    /** this += value * a * b, elementwise. */
    public Tensor addcmul_(Tensor a, Tensor b, double value) {
        t.addcmul_(a.t, b.t, new Scalar(value));
        return this;
    }

    public Tensor mul_(double v) {
        t.mul_(new Scalar(v));
        return this;
    }

    public Tensor zero_() {
        t.zero_();
        return this;
    }

    /** Elements {@link #allFinite} checks at a time. */
    private static final long FINITE_CHECK_SLICE = 1 << 22;

    /**
     * True when no element is NaN or infinite. Checked a slice at a time: isfinite on a whole 128k-vocabulary
     * embedding made temporaries of about 1 GiB, more than the tensor itself.
     */
    public boolean allFinite() {
        long n = numel();
        for (long from = 0; from < n; from += FINITE_CHECK_SLICE) {
            try (Engine.Scope s = Engine.scope()) {
                if (!t.reshape(n).narrow(0, from, Math.min(FINITE_CHECK_SLICE, n - from)).isfinite().all().item_bool()) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- to Java -------------------------------------------------------------------------------

    public double item() {
        return t.to(ScalarType.Double).item_double();
    }

    public long itemLong() {
        return t.to(ScalarType.Long).item_long();
    }

    public float[] toFloats() {
        org.bytedeco.pytorch.Tensor c = t.detach().to(ScalarType.Float).contiguous();
        float[] out = new float[(int) c.numel()];
        new FloatPointer(c.data_ptr()).capacity(out.length).get(out);
        Reference.reachabilityFence(c);
        return out;
    }

    public double[] toDoubles() {
        org.bytedeco.pytorch.Tensor c = t.detach().to(ScalarType.Double).contiguous();
        double[] out = new double[(int) c.numel()];
        new DoublePointer(c.data_ptr()).capacity(out.length).get(out);
        Reference.reachabilityFence(c);
        return out;
    }

    public long[] toLongs() {
        org.bytedeco.pytorch.Tensor c = t.detach().to(ScalarType.Long).contiguous();
        long[] out = new long[(int) c.numel()];
        new LongPointer(c.data_ptr()).capacity(out.length).get(out);
        Reference.reachabilityFence(c);
        return out;
    }

    /** The raw little-endian bytes of this tensor converted to dtype, as safetensors stores them. */
    public ByteBuffer toBytes(DType dtype) {
        org.bytedeco.pytorch.Tensor c = t.detach().to(scalarType(dtype)).contiguous();
        long n = c.nbytes();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(n)).order(ByteOrder.LITTLE_ENDIAN);
        new BytePointer(c.data_ptr()).capacity(n).get(out.array());
        Reference.reachabilityFence(c);
        return out;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape()) + " " + dtype();
    }

    // ---- helpers -------------------------------------------------------------------------------

    static TensorOptions options(ScalarType s) {
        return new TensorOptions(s);
    }

    static ScalarType scalarType(DType d) {
        switch (d) {
            case F32: return ScalarType.Float;
            case F64: return ScalarType.Double;
            case F16: return ScalarType.Half;
            case BF16: return ScalarType.BFloat16;
            case I64: return ScalarType.Long;
            case I32: return ScalarType.Int;
            case I16: return ScalarType.Short;
            case I8: return ScalarType.Char;
            case U8: return ScalarType.Byte;
            case BOOL: return ScalarType.Bool;
            default: throw new IllegalArgumentException(d.toString());
        }
    }

    private static TensorVector vector(List<Tensor> parts) {
        TensorVector v = new TensorVector(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            v.put(i, parts.get(i).t);
        }
        return v;
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    private static void checkCount(long count, long[] shape) {
        long n = elementCount(shape);
        if (n != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " elements, got " + count);
        }
    }
}
