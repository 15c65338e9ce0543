package dev.falcon;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The package graph of src/main: no cycles, and every package depends only on the packages below it.
 * Both rules are also run on a deliberate cycle (test package archfixture) to show that they can fail.
 */
class ArchitectureTest {

    /** Bottom to top; a package may use only packages on earlier rows. Packages on one row are siblings. */
    private static final String[][] LAYERS = {
            {"io"},                     // files, JSON, console: atomic writes, the mapper, hashes, progress
            {"engine", "report"},       // tensors, dtypes, autograd (JavaCPP stays here); HTML pages and charts
            {"model"},                  // the Llama math; knows no file format
            {"checkpoint", "tokenizer"},
            {"data"},
            {"train"},                  // optimizers, schedules, the step loop
            {"eval", "layers"},
            {"unlearn"},
            {"attack"},
            {"audit"},                  // the whole attack battery on a model pair, and its verdict
            {"demo"},
            {"bench"},                  // benchmarks; bench demo runs the demo once per seed
            {"cli"},
    };

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.falcon");

    private static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    /** One rule per layer: its classes use nothing from the layers above it (or its siblings). */
    private static List<ArchRule> layerRules(String root, String[][] layers) {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            for (String own : layers[i]) {
                List<String> forbidden = new ArrayList<>();
                for (int j = i; j < layers.length; j++) {
                    for (String other : layers[j]) {
                        if (!other.equals(own)) {
                            forbidden.add(root + "." + other + "..");
                        }
                    }
                }
                if (!forbidden.isEmpty()) {
                    rules.add(noClasses().that().resideInAPackage(root + "." + own + "..")
                            .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new)));
                }
            }
        }
        return rules;
    }

    @Test
    void packagesAreFreeOfCycles() {
        noCycles("dev.falcon").check(MAIN);
    }

    @Test
    void everyPackageDependsOnlyOnTheLayersBelow() {
        layerRules("dev.falcon", LAYERS).forEach(rule -> rule.check(MAIN));
    }

    @Test
    void theRulesRejectADeliberateCycle() {
        JavaClasses cycle = new ClassFileImporter().importPackages("dev.falcon.archfixture");
        assertThrows(AssertionError.class, () -> noCycles("dev.falcon.archfixture").check(cycle));
        String[][] order = {{"down"}, {"up"}};
        assertThrows(AssertionError.class,
                () -> layerRules("dev.falcon.archfixture", order).forEach(rule -> rule.check(cycle)));
    }
}
