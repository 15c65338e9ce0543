package dev.falcon.archfixture.up;

import dev.falcon.archfixture.down.Lower;

/** With {@link Lower}, a deliberate package cycle that ArchitectureTest's rules must reject. */
public final class Upper {

    public int size(Lower lower) {
        return lower.depth() + 1;
    }
}
