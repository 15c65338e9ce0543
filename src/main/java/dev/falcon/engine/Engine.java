package dev.falcon.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;

/** Loading libtorch, thread settings, memory scopes and grad modes. */
public final class Engine {

    private static volatile boolean ready;

    private Engine() {
    }

    /**
     * Loads the native libraries once; warns when OMP_WAIT_POLICY is not PASSIVE (10x slower on 2
     * cores). FALCON_THREADS (or -Dfalcon.threads) sets libtorch's intra-op threads; default: all cores.
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
            // measured on a 2-core machine with other jobs running: 1 thread ran a small model's
            // forward 20x faster than 2, whose threads wait on each other at every op
            torch.set_num_threads(Integer.parseInt(threads.trim()));
        }
        ready = true;
    }

    public static int threads() {
        init();
        return torch.get_num_threads();
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

    /** Enables autograd until closed, even inside a no-grad block. */
    public static Guard withGrad() {
        init();
        AutoGradMode g = new AutoGradMode(true);
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
