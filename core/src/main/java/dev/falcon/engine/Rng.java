package dev.falcon.engine;

import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.global.torch;

/** A seeded libtorch random generator, so that every random draw is reproducible from the run's seed. */
public final class Rng {

    final Generator g;

    public Rng(long seed) {
        Engine.init();
        g = torch.createCPUGenerator(seed);
    }
}
