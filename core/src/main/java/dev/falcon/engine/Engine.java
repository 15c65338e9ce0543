package dev.falcon.engine;

import dev.falcon.io.PeakMemory;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Loading libtorch, thread settings, memory scopes and grad modes. */
public final class Engine {

    private static volatile boolean ready;

    private Engine() {
    }

    /** A variable of the native environment: its value, and what goes wrong without it. */
    private record NativeSetting(String variable, String value, String without) {
    }

    /**
     * OMP_WAIT_POLICY=PASSIVE, else libtorch's and OpenBLAS's threads spin against each other (10x slower on 2
     * cores). How glibc keeps freed memory is set at run time, by the size of the model
     * ({@link #holdFreedMemoryFor}).
     */
    private static final List<NativeSetting> NATIVE_SETTINGS = List.of(
            new NativeSetting("OMP_WAIT_POLICY", "PASSIVE", "libtorch and OpenBLAS threads will spin against "
                    + "each other and run up to 10x slower"));

    /**
     * The environment a JVM that runs libtorch needs, read by the native code as the process starts (so the
     * {@code falcon} launcher, the benchmarks' child JVMs, the test JVMs and Spark's executors set it).
     */
    public static final Map<String, String> NATIVE_ENVIRONMENT = NATIVE_SETTINGS.stream()
            .collect(Collectors.toUnmodifiableMap(NativeSetting::variable, NativeSetting::value));

    /**
     * Loads the native libraries once; warns when the {@link #NATIVE_ENVIRONMENT} is not set. FALCON_THREADS
     * (or -Dfalcon.threads) sets libtorch's intra-op threads and OpenBLAS's; default: all cores.
     */
    public static synchronized void init() {
        if (ready) {
            return;
        }
        for (NativeSetting n : NATIVE_SETTINGS) {
            if (!n.value().equalsIgnoreCase(System.getenv(n.variable()))) {
                System.err.println("warning: " + n.variable() + "=" + n.value() + " is not set; " + n.without()
                        + ". Use the ./falcon launcher.");
            }
        }
        Loader.load(torch.class);
        String threads = System.getProperty("falcon.threads", System.getenv("FALCON_THREADS"));
        if (threads != null) {
            int n = Integer.parseInt(threads.trim());
            torch.set_num_threads(n);
            // libtorch's matrix products run in OpenBLAS's own thread pool, which set_num_threads does not
            // size: it keeps one thread per core. Measured with two other jobs on 2 cores: a demo training
            // step took 1946 ms with FALCON_THREADS=1 alone and 324 ms once OpenBLAS was held to 1 thread too.
            openblas_nolapack.blas_set_num_threads(n);
        }
        ready = true;
    }

    public static int threads() {
        init();
        return torch.get_num_threads();
    }

    /** OpenBLAS's thread count, which {@link #init} keeps equal to libtorch's when FALCON_THREADS is set. */
    public static int blasThreads() {
        init();
        return openblas_nolapack.blas_get_num_threads();
    }

    /**
     * A block whose native tensors are freed when it closes. Tensors that must outlive it are passed
     * to {@link Scope#keep}.
     */
    public static Scope scope() {
        init();
        return new Scope(new PointerScope());
    }

    /**
     * Runs {@code work} in a scope of its own: every tensor it made and did not return is freed when it
     * returns, and the tensors it returns belong to the enclosing scope (the garbage collector's outside every
     * scope). A forward pass runs each decoder block this way, so that a block's intermediate tensors (queries,
     * attention scores, the MLP's hidden layer) are freed before the next block runs rather than all together
     * at the end of the pass; autograd keeps what it saved for the backward pass alive on its own. The work
     * must return tensors it made itself: the handles it returns are replaced by new ones.
     */
    public static Tensor[] within(Supplier<Tensor[]> work) {
        Tensor[] made;
        try (Scope s = scope()) {
            made = work.get();
            for (Tensor t : made) {
                s.keep(t);
            }
        }
        // made now only by the collector; a new handle made here belongs to the enclosing scope
        Tensor[] out = new Tensor[made.length];
        Map<Tensor, Tensor> shared = new IdentityHashMap<>();
        for (int i = 0; i < made.length; i++) {
            out[i] = shared.computeIfAbsent(made[i], Tensor::share);
        }
        shared.keySet().forEach(Tensor::release);
        return out;
    }

    /** The weights (in the compute dtype) from which a model counts as large for {@link #holdFreedMemoryFor}. */
    private static final long LARGE_MODEL_BYTES = 1L << 30;

    /**
     * glibc's mmap threshold for a large model: 8 MiB cost the 1B unlearning 40 MiB more than 4 (2892 against
     * 2852 MiB, 4 steps of 4 x 256 tokens); 1 MiB made the 135M forward 60% slower.
     */
    private static final int LARGE_MODEL_MMAP_THRESHOLD = 4 << 20;

    private static volatile boolean largeModel;

    /**
     * Sets how the process keeps the memory of freed tensors, for a model of {@code weightBytes} of weights.
     * glibc's own policy raises its mmap threshold to the size of each large block freed (up to 32 MiB) and
     * reuses those blocks: fastest, but on the Llama-3.2-1B shape fragmentation made its free lists grow step
     * after step (one FALCON run of 2 steps peaked at 4368 MiB, against 2982 MiB at a fixed 4 MiB threshold).
     * A fixed threshold maps every large tensor afresh instead, and the pages are faulted in again at each use:
     * the 135M whole-set-cache FALCON step (1.45 GiB resident) took 3.5 times the page faults and about 20% more
     * time. So a model of {@link #LARGE_MODEL_BYTES} and more gets the fixed threshold and
     * {@link #trimFreedMemory}'s trims; a smaller one keeps glibc's policy. Called as soon as the weights' size is
     * known (the command line: when it opens the checkpoint, before the tokenizer is parsed; every loader: when
     * it maps the weights); a process never goes back.
     */
    public static synchronized void holdFreedMemoryFor(long weightBytes) {
        if (largeModel || weightBytes < LARGE_MODEL_BYTES) {
            return;
        }
        largeModel = true;
        if (!GlibcMalloc.setMmapThreshold(LARGE_MODEL_MMAP_THRESHOLD)) {
            System.err.println("warning: could not set glibc's mmap threshold; resident memory may grow past "
                    + "the memory budget");
        }
        // what was freed before the threshold changed stays in glibc's free lists otherwise
        Pointer.trimMemory();
    }

    /**
     * The resident size from which {@link #trimFreedMemory} trims. Trimmed memory is faulted in again when it
     * is reused, which costs in proportion to the memory, not to the work: trimming between the phases of
     * every FALCON step made the 135M step of {@code falcon bench unlearn} (1.2 GiB resident) 37% slower (2249 /
     * 2221 against 1639 / 1615 ms in two runs), while on the 1B shape (4 steps of 4 x 256 tokens, -Xmx8g) it
     * took the peak from 3136 to 2852 MiB (at a threshold of 8 MiB: 3368 to 2892 MiB, 74.7 s for the 4 steps
     * with the trims and 75.0 s without).
     */
    private static final long TRIM_FROM_BYTES = 2L << 30;

    /**
     * Gives back memory that a large, short-lived piece of work left free but held: the JVM's heap (a full
     * collection lets the collector uncommit it) and glibc's free lists (malloc_trim). For rare points only,
     * such as after parsing a large file: a full collection stops the JVM for a moment.
     */
    public static void releaseGarbage() {
        System.gc();
        Pointer.trimMemory();
    }

    /**
     * Gives glibc's free lists back to the system (malloc_trim) when the process holds a large model
     * ({@link #holdFreedMemoryFor}) and is large itself ({@link #TRIM_FROM_BYTES} resident): the memory of
     * freed tensors that glibc keeps for reuse, which fragmentation makes grow pass after pass. Called between
     * the phases of a training step, and after each decoder block and each batch while scoring.
     */
    public static void trimFreedMemory() {
        if (!largeModel) {
            return;
        }
        // VmRSS counts the mapped weights, which JavaCPP's physicalBytes leaves out (a 1B model never reached
        // the bound by it); where it cannot be read, trim
        OptionalLong residentKib = PeakMemory.ownResidentKib();
        if (residentKib.isEmpty() || residentKib.getAsLong() * 1024 >= TRIM_FROM_BYTES) {
            Pointer.trimMemory();
        }
    }

    /** Disables autograd until closed (inference, optimizer updates, caches). */
    public static Guard noGrad() {
        init();
        NoGradGuard g = new NoGradGuard();
        return g::close;
    }

    /** An AutoCloseable without checked exceptions. */
    public interface Guard extends AutoCloseable {
        @Override
        void close();
    }

    /** See {@link #scope()}. */
    public static final class Scope implements AutoCloseable {
        private final PointerScope scope;

        Scope(PointerScope scope) {
            this.scope = scope;
        }

        /**
         * Takes a tensor out of this scope, so that closing it leaves the tensor alive; the garbage
         * collector frees it once unreachable. (Re-attaching to an outer scope could attach one
         * tensor twice and free it twice.)
         */
        public Tensor keep(Tensor x) {
            // A tensor made outside every scope counts no reference: detach's release would free it at once.
            if (x.t.referenceCount() == 0) {
                return x;
            }
            // detach drops the reference the scope took; retain first so the tensor stays alive.
            x.t.retainReference();
            scope.detach(x.t);
            return x;
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
