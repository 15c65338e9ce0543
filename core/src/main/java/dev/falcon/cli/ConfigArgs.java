package dev.falcon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.falcon.InputException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Expands {@code --config FILE} (YAML or JSON with the same keys as the options, with or without the
 * leading dashes) into command-line arguments placed before the others, so the command line wins. A list
 * gives the option once per element.
 */
final class ConfigArgs {

    private ConfigArgs() {
    }

    /** @param root the command line whose subcommand names (falcon bench tofu) stay in front */
    static String[] expand(String[] args, CommandLine root) {
        List<String> before = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                before.addAll(read(Path.of(args[++i])));
            } else if (args[i].startsWith("--config=")) {
                before.addAll(read(Path.of(args[i].substring("--config=".length()))));
            } else {
                rest.add(args[i]);
            }
        }
        if (before.isEmpty()) {
            return args;
        }
        int names = subcommandNames(rest, root);
        List<String> out = new ArrayList<>(rest.subList(0, names));
        out.addAll(before);
        out.addAll(rest.subList(names, rest.size()));
        return out.toArray(String[]::new);
    }

    /** How many leading arguments name a subcommand and its subcommands: options must follow the last. */
    private static int subcommandNames(List<String> args, CommandLine root) {
        int names = 0;
        CommandLine command = root;
        while (names < args.size() && command.getSubcommands().containsKey(args.get(names))) {
            command = command.getSubcommands().get(args.get(names));
            names++;
        }
        return names;
    }

    private static List<String> read(Path file) {
        return options(readMapping(file, "config", "of option names to values"));
    }

    /** A YAML or JSON file holding a mapping; what it holds is named in the errors ("config", "grid"). */
    static JsonNode readMapping(Path file, String what, String ofWhat) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InputException(file, "cannot read " + what + ": "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InputException(file, what + " must be a mapping " + ofWhat);
        }
        return root;
    }

    /**
     * The options a mapping of option names to values stands for: true a flag, false nothing, a list one
     * option per element (so that options taking several values one at a time, such as eval's --mcq, get
     * each), anything else the option with its value.
     */
    static List<String> options(JsonNode mapping) {
        List<String> args = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().startsWith("-") ? e.getKey() : "--" + e.getKey();
            JsonNode v = e.getValue();
            if (v.isBoolean()) {
                if (v.asBoolean()) {
                    args.add(name);
                }
            } else if (v.isArray()) {
                v.forEach(x -> args.add(name + "=" + x.asText()));
            } else {
                args.add(name + "=" + v.asText());
            }
        }
        return args;
    }
}
