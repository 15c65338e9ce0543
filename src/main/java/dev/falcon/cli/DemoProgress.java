package dev.falcon.cli;

import dev.falcon.demo.DemoListener;
import me.tongfei.progressbar.ProgressBar;

/** One progress bar per phase. */
final class DemoProgress implements DemoListener, AutoCloseable {
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
