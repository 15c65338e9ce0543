package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.io.Json;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's grid file (YAML or JSON), three mappings of option names (as on the command line, with or without
 * the dashes) to values:
 * <pre>
 * unlearn:  falcon unlearn's options every run shares (model, forget, retain, layer, max-batches, ...)
 * grid:     options to cross, each with a list of values (method: [falcon, rmu], lr: [1e-3, 5e-4], seed: [0, 1]);
 *           every combination is one run, in the file's order with the last option varying fastest
 * eval:     falcon eval's options for each run's model (mcq, ppl, tofu, mia, batch-size, ...)
 * </pre>
 * A value is given as {@link ConfigArgs} gives a config file's: a list for an option taking several values
 * (forget: [a.json, b.json]; in the grid, a list of such lists). Each run's --out, and eval's --model and
 * --out, are the run's folder; relative paths are read from the directory falcon sweep runs in.
 *
 * @param configurations the runs, each checked as falcon unlearn and falcon eval check their options
 */
record SweepGrid(Path file, List<String> crossed, List<Configuration> configurations) {

    private static final Set<String> SECTIONS = Set.of("unlearn", "grid", "eval");
    private static final Set<String> SET_BY_SWEEP_UNLEARN = Set.of("out", "overwrite", "config");
    private static final Set<String> SET_BY_SWEEP_EVAL = Set.of("model", "out", "spark", "config");

    /**
     * One unlearning configuration: its run's name (its crossed values), those values, and the options of
     * its falcon unlearn and falcon eval, without the paths the run's folder gives.
     */
    record Configuration(String name, LinkedHashMap<String, String> settings, List<String> unlearn,
                         List<String> eval) implements Serializable {

        /** falcon unlearn's arguments, writing the model to {@code out}. */
        List<String> unlearnArgs(Path out) {
            List<String> args = new ArrayList<>(List.of("unlearn", "--out", out.toString()));
            args.addAll(unlearn);
            return args;
        }

        /** falcon eval's arguments, evaluating the model in {@code folder} into its results.json. */
        List<String> evalArgs(Path folder) {
            List<String> args = new ArrayList<>(List.of("eval", "--model", folder.toString(), "--out",
                    folder.resolve(SweepTask.RESULTS).toString()));
            args.addAll(eval);
            return args;
        }
    }

    /** The grid in {@code file}, every configuration checked for runs under {@code root}; errors name the file (and the run). */
    static SweepGrid read(Path file, Path root) {
        JsonNode sections = ConfigArgs.readMapping(file, "grid", "with unlearn, grid and eval");
        sections.fieldNames().forEachRemaining(section -> {
            if (!SECTIONS.contains(section)) {
                throw new InputException(file, "unknown section '" + section + "'; expected unlearn, grid and eval");
            }
        });
        ObjectNode unlearn = section(file, sections, "unlearn", SET_BY_SWEEP_UNLEARN);
        ObjectNode grid = section(file, sections, "grid", SET_BY_SWEEP_UNLEARN);
        ObjectNode eval = section(file, sections, "eval", SET_BY_SWEEP_EVAL);
        List<String> crossed = new ArrayList<>();
        grid.fieldNames().forEachRemaining(crossed::add);
        for (String key : crossed) {
            JsonNode values = grid.get(key);
            if (!values.isArray() || values.isEmpty()) {
                throw new InputException(file, "grid: " + key + " must be a list of values to cross, got " + values);
            }
            if (unlearn.has(key)) {
                throw new InputException(file, key + " is in both unlearn and grid; keep it in one");
            }
        }
        List<String> evalOptions = ConfigArgs.options(eval);
        List<Configuration> configurations = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (LinkedHashMap<String, JsonNode> choice : combinations(grid, crossed)) {
            ObjectNode options = unlearn.deepCopy();
            choice.forEach(options::set);
            Configuration c = new Configuration(name(choice), text(choice), ConfigArgs.options(options), evalOptions);
            if (!names.add(c.name())) {
                throw new InputException(file, "two runs are named " + c.name() + ": a grid list repeats a value");
            }
            check(file, c, root.resolve(c.name()));
            configurations.add(c);
        }
        return new SweepGrid(file, List.copyOf(crossed), List.copyOf(configurations));
    }

    /** A section: present, a mapping, and free of the options the sweep sets itself. */
    private static ObjectNode section(Path file, JsonNode root, String name, Set<String> setBySweep) {
        JsonNode node = root.get(name);
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw new InputException(file, "'" + name + "' must be a mapping of option names to values");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next().replaceFirst("^-+", "");
            if (setBySweep.contains(key)) {
                throw new InputException(file, name + ": " + key + " is set by falcon sweep (each run's folder under --out)");
            }
        }
        return (ObjectNode) node;
    }

    /** Every choice of one value per crossed option, the last option varying fastest. */
    private static List<LinkedHashMap<String, JsonNode>> combinations(ObjectNode grid, List<String> crossed) {
        List<LinkedHashMap<String, JsonNode>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (String key : crossed) {
            List<LinkedHashMap<String, JsonNode>> next = new ArrayList<>();
            for (LinkedHashMap<String, JsonNode> partial : out) {
                for (JsonNode value : grid.get(key)) {
                    LinkedHashMap<String, JsonNode> c = new LinkedHashMap<>(partial);
                    c.put(key, value);
                    next.add(c);
                }
            }
            out = next;
        }
        return out;
    }

    /** key-value for each crossed option, joined by '_', in characters safe in a folder name. */
    private static String name(Map<String, JsonNode> choice) {
        List<String> parts = new ArrayList<>();
        text(choice).forEach((key, value) -> parts.add(key.replaceFirst("^-+", "") + "-" + value));
        String name = parts.isEmpty() ? "run" : String.join("_", parts);
        return name.replaceAll("[^A-Za-z0-9.+_-]", "-");
    }

    /** The chosen values as text; a list's elements joined by ','. */
    private static LinkedHashMap<String, String> text(Map<String, JsonNode> choice) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        choice.forEach((key, value) -> {
            List<String> parts = new ArrayList<>();
            (value.isArray() ? value : Json.MAPPER.createArrayNode().add(value)).forEach(v -> parts.add(v.asText()));
            out.put(key, String.join(",", parts));
        });
        return out;
    }

    /** The run's options as falcon unlearn and falcon eval would take them, before any run starts. */
    private static void check(Path file, Configuration c, Path folder) {
        try {
            ((UnlearnCommand) Main.parse(c.unlearnArgs(folder).toArray(String[]::new))).checkMethod();
            Main.parse(c.evalArgs(folder).toArray(String[]::new));
        } catch (InputException e) {
            throw new InputException(file, "run " + c.name() + ": " + e.getMessage(), e);
        }
    }
}
