package dev.falcon.archfixture.down;

import dev.falcon.archfixture.up.Upper;

/** Depends back on {@link Upper}: the lower package of a deliberate cycle. */
public final class Lower {

    public int depth() {
        return 1;
    }

    public int around(Upper upper) {
        return upper.size(this);
    }
}
