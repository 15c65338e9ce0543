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

    /** Loads the native libraries once; warns when OMP_WAIT_POLICY is not PASSIVE (10x slower on 2 cores). */
    public static synchronized void init() {
        if (ready) {
            return;
        }
        if (!"PASSIVE".equalsIgnoreCase(System.getenv("OMP_WAIT_POLICY"))) {
            System.err.println("warning: OMP_WAIT_POLICY=PASSIVE is not set; libtorch and OpenBLAS threads "
                    + "will spin against each other and run up to 10x slower. Use the ./falcon launcher.");
        }
        Loader.load(torch.class);
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

        /** Moves a tensor out of this scope into the enclosing one (or to the garbage collector). */
        public Tensor keep(Tensor x) {
            scope.detach(x.t);
            PointerScope outer = PointerScope.getInnerScope();
            if (outer != null && outer != scope) {
                outer.attach(x.t);
            }
            return x;
        }

        @Override
        public void close() {
            scope.close();
        }
    }
}
