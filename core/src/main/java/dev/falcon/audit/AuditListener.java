package dev.falcon.audit;

/** Progress of an audit, for a progress bar: one phase per attack on each model. */
public interface AuditListener {

    /** A phase of {@code total} steps begins (a new phase ends the previous one). */
    void phase(String name, int total);

    /** One step (a budget, a scored set) of the current phase is done. */
    void step();

    /** A listener that reports nothing. */
    AuditListener SILENT = new AuditListener() {
        @Override
        public void phase(String name, int total) {
        }

        @Override
        public void step() {
        }
    };
}
