package dev.falcon.demo;

import dev.falcon.io.Progress;
import me.tongfei.progressbar.ProgressBar;

/** One progress bar per phase, on stderr: the demo's progress in {@code falcon demo} and {@code falcon bench demo}. */
public final class DemoProgress implements DemoListener, AutoCloseable {
    private ProgressBar bar;

    @Override
    public void phase(String name, int total) {
        done();
        bar = Progress.bar(name, total);
    }

    @Override
    public void step(String detail) {
        bar.step();
        bar.setExtraMessage(detail);
    }

    @Override
    public void done() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void note(String message) {
        System.err.println(message);
    }

    @Override
    public void close() {
        done();
    }
}
