package dev.falcon.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;

/** Loading libtorch, thread settings, memory scopes and grad modes. */
public final class Engine {

    private static volatile boolean ready;

    private Engine() {
    }

    /**
     * Loads the native libraries once; warns when OMP_WAIT_POLICY is not PASSIVE (10x slower on 2
     * cores). FALCON_THREADS (or -Dfalcon.threads) sets libtorch's intra-op threads and OpenBLAS's;
     * default: all cores.
     */
    public static synchronized void init() {
        if (ready) {
            return;
        }
        if (!"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"))) {
            System.err.println("warning: OMP_WAIT_POLICY=PASSIVE is not set; libtorch and OpenBLAS threads "
                    + "will spin against each other and run up to 10x slower. Use the ./falcon launcher.");
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
