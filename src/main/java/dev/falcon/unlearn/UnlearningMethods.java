package dev.falcon.unlearn;

import dev.falcon.InputException;

import java.util.List;
import java.util.Locale;

/** The unlearning methods by name: FALCON and the baselines it is compared with. */
public final class UnlearningMethods {

    /** Every method name, FALCON first. */
    public static final List<String> NAMES = List.of("falcon", "rmu", "ga", "graddiff", "npo", "simnpo");

    private UnlearningMethods() {
    }

    /** The canonical (lower-case) name, or an InputException listing the known ones. */
    public static String check(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) {
            throw new InputException("unknown method '" + name + "'; expected one of " + String.join(", ", NAMES));
        }
        return n;
    }

    /** FALCON from its settings, any other method from the baseline settings. */
    public static UnlearningMethod create(String name, FalconSettings falcon, BaselineSettings baseline) {
        return "falcon".equals(check(name)) ? new Falcon(falcon) : create(name, baseline);
    }

    /** A baseline; FALCON is refused here, as it takes {@link FalconSettings}. */
    public static UnlearningMethod create(String name, BaselineSettings s) {
        return switch (check(name)) {
            case "rmu" -> new Rmu(s);
            case "ga" -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.GA, s);
            case "graddiff" -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.GRAD_DIFF, s);
            case "npo" -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.NPO, s);
            case "simnpo" -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.SIM_NPO, s);
            default -> throw new IllegalArgumentException(name + " is configured with FalconSettings, not "
                    + "BaselineSettings");
        };
    }
}
