package dev.falcon.demo;

import dev.falcon.audit.AuditListener;

/** Progress of the demo's long phases, for a progress bar; every method may be ignored. */
public interface DemoListener {

    /** A phase of {@code total} steps begins (a new phase ends the previous one). */
    void phase(String name, int total);

    /** One step of the current phase is done; {@code detail} is e.g. the step's losses. */
    void step(String detail);

    /** The current phase is over. */
    void done();

    /** A line worth showing between steps, such as the accuracy reached after a training round. */
    void note(String message);

    /** This listener as an audit's: a phase per attack and model, a step per budget. */
    default AuditListener forAudit() {
        DemoListener demo = this;
        return new AuditListener() {
            @Override
            public void phase(String name, int total) {
                demo.phase(name, total);
            }

            @Override
            public void step() {
                demo.step("");
            }
        };
    }

    /** A listener that reports nothing. */
    DemoListener SILENT = new DemoListener() {
        @Override
        public void phase(String name, int total) {
        }

        @Override
        public void step(String detail) {
        }

        @Override
        public void done() {
        }

        @Override
        public void note(String message) {
        }
    };
}
