package dev.falcon.unlearn;

import dev.falcon.InputException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The unlearning methods by name: FALCON and the baselines it is compared with, each with its own
 * settings record and that record's defaults.
 */
public enum Method {
    FALCON("falcon", FalconSettings.class, FalconSettings::official, s -> new Falcon((FalconSettings) s)),
    RMU("rmu", RmuSettings.class, RmuSettings::official, s -> new Rmu((RmuSettings) s)),
    GA("ga", LikelihoodSettings.class, LikelihoodSettings::paperDefaults,
            s -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.GA, (LikelihoodSettings) s)),
    GRAD_DIFF("graddiff", LikelihoodSettings.class, LikelihoodSettings::paperDefaults,
            s -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.GRAD_DIFF, (LikelihoodSettings) s)),
    NPO("npo", LikelihoodSettings.class, LikelihoodSettings::paperDefaults,
            s -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.NPO, (LikelihoodSettings) s)),
    SIM_NPO("simnpo", LikelihoodSettings.class, LikelihoodSettings::paperDefaults,
            s -> new LikelihoodUnlearning(LikelihoodUnlearning.Objective.SIM_NPO, (LikelihoodSettings) s));

    private final String label;
    private final Class<? extends MethodSettings> settingsType;
    private final Supplier<MethodSettings> defaults;
    private final Function<MethodSettings, UnlearningMethod> factory;

    Method(String label, Class<? extends MethodSettings> settingsType, Supplier<MethodSettings> defaults,
           Function<MethodSettings, UnlearningMethod> factory) {
        this.label = label;
        this.settingsType = settingsType;
        this.defaults = defaults;
        this.factory = factory;
    }

    /** The method called {@code name} (any case), or an InputException listing the known ones. */
    public static Method parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.label.equals(n)).findFirst().orElseThrow(() ->
                new InputException("unknown method '" + name + "'; expected one of " + String.join(", ", labels())));
    }

    /** Every method's name, FALCON first. */
    public static List<String> labels() {
        return Arrays.stream(values()).map(Method::label).toList();
    }

    /** The lower-case name used on the command line and in run records. */
    public String label() {
        return label;
    }

    /** The settings this method is run with when nothing is changed (the official code's or the paper's). */
    public MethodSettings defaults() {
        return defaults.get();
    }

    /** This method with its settings; settings of another method's type are refused. */
    public UnlearningMethod create(MethodSettings settings) {
        if (!settingsType.isInstance(settings)) {
            throw new IllegalArgumentException(label + " is configured with " + settingsType.getSimpleName()
                    + ", not " + settings.getClass().getSimpleName());
        }
        return factory.apply(settings);
    }

    @Override
    public String toString() {
        return label;
    }
}
