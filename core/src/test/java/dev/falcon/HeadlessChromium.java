package dev.falcon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Opens a local HTML file in headless Chromium, renders the whole page to PNG and lists what the browser
 * would flag: console errors and warnings, uncaught exceptions, error/warning log entries and failed
 * resource loads. It speaks the DevTools protocol because Chromium's stderr log prints every console
 * message at INFO, whatever its level, and does not mention failed image loads at all.
 */
public final class HeadlessChromium {

    /** The viewport and PNG width in CSS pixels (device scale factor 1). */
    public static final int WIDTH = 1024;

    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> FLAGGED_CONSOLE = Set.of("error", "warning", "assert");
    private static final Set<String> FLAGGED_LOG = Set.of("error", "warning");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** The first chromium or chromium-browser on PATH, if any. */
    public static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        return NAMES.stream()
                .flatMap(name -> Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * The browser on PATH; skips the calling test without one. A browser is not part of ../shared, so
     * -Dfalcon.requireShared does not demand it: .ci/run installs Debian's chromium and then checks that the
     * Chromium tests ran rather than skipped.
     */
    public static HeadlessChromium require() {
        Optional<Path> found = find();
        Assumptions.assumeTrue(found.isPresent(), "no " + String.join(" or ", NAMES) + " on PATH; skipping");
        return new HeadlessChromium(found.orElseThrow());
    }

    /**
     * Loads {@code html}, waits for its load event, writes the full page ({@link #WIDTH} wide) to {@code png}
     * and returns the problems seen until then, one line each; empty when the page is clean. The browser
     * runs in a fresh profile that is deleted afterwards, and is killed if it takes over 60 s.
     */
    public List<String> render(Path html, Path png) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("chromium");
        Process browser;
        try {
            browser = start(work);
        } catch (IOException e) {
            deleteTree(work);
            throw e;
        }
        try {
            List<String> problems = new ArrayList<>();
            DevToolsPipe pipe = new DevToolsPipe(browser.getInputStream(), browser.getOutputStream(), TIMEOUT,
                    new ProblemCollector(problems));
            Files.write(png, screenshot(pipe, html.toAbsolutePath().toUri().toString()));
            pipe.call(null, "Browser.close", null);
            browser.waitFor(5, TimeUnit.SECONDS);
            return problems;
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; Chromium's stderr ends with:\n" + tail(work), e);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            deleteTree(work);
        }
    }

    /**
     * --remote-debugging-pipe reads commands on fd 3 and writes replies on fd 4, but a Java child only has
     * stdin and stdout, so sh moves them there before it becomes Chromium.
     */
    private Process start(Path work) throws IOException {
        List<String> command = List.of("sh", "-c",
                "exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null", binary.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + work.resolve("profile"), "--remote-debugging-pipe", "about:blank");
        return new ProcessBuilder(command).redirectError(work.resolve("stderr.log").toFile()).start();
    }

    private static byte[] screenshot(DevToolsPipe pipe, String url) throws IOException, InterruptedException {
        String target = pipe.call(null, "Target.createTarget", params().put("url", "about:blank"))
                .path("targetId").asText();
        String page = pipe.call(null, "Target.attachToTarget", params().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
        for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
            pipe.call(page, domain + ".enable", null);
        }
        pipe.call(page, "Emulation.setDeviceMetricsOverride", params().put("width", WIDTH).put("height", 768)
                .put("deviceScaleFactor", 1).put("mobile", false));
        pipe.call(page, "Page.setLifecycleEventsEnabled", params().put("enabled", true));
        // The load event of this navigation, not a late one from the initial about:blank.
        String loader = pipe.call(page, "Page.navigate", params().put("url", url)).path("loaderId").asText();
        pipe.await("the page's load event", e -> e.path("method").asText().equals("Page.lifecycleEvent")
                && e.path("params").path("name").asText().equals("load")
                && e.path("params").path("loaderId").asText().equals(loader));
        double height = pipe.call(page, "Page.getLayoutMetrics", null).path("cssContentSize").path("height")
                .asDouble();
        ObjectNode clip = params().put("x", 0).put("y", 0).put("width", WIDTH).put("height", Math.ceil(height))
                .put("scale", 1);
        ObjectNode shot = params().put("format", "png").put("captureBeyondViewport", true);
        shot.set("clip", clip);
        return Base64.getDecoder().decode(pipe.call(page, "Page.captureScreenshot", shot).path("data").asText());
    }

    private static ObjectNode params() {
        return JSON.createObjectNode();
    }

    private static String tail(Path work) throws IOException {
        Path log = work.resolve("stderr.log");
        if (!Files.exists(log)) {
            return "(nothing)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Turns the DevTools events that signal trouble into one readable line each. */
    private record ProblemCollector(List<String> problems, Map<String, String> urls)
            implements Consumer<JsonNode> {

        ProblemCollector(List<String> problems) {
            this(problems, new HashMap<>());
        }

        @Override
        public void accept(JsonNode event) {
            JsonNode p = event.path("params");
            switch (event.path("method").asText()) {
                case "Runtime.consoleAPICalled" -> console(p);
                case "Runtime.exceptionThrown" -> exception(p.path("exceptionDetails"));
                case "Log.entryAdded" -> log(p.path("entry"));
                // loadingFailed carries only the request id, so remember each request's URL.
                case "Network.requestWillBeSent" -> urls.put(p.path("requestId").asText(),
                        p.path("request").path("url").asText());
                case "Network.loadingFailed" -> failedLoad(p);
                default -> {
                }
            }
        }

        private void console(JsonNode p) {
            String type = p.path("type").asText();
            if (FLAGGED_CONSOLE.contains(type)) {
                List<String> args = new ArrayList<>();
                p.path("args").forEach(a -> args.add(a.has("value") ? a.get("value").asText()
                        : a.path("description").asText(a.path("type").asText())));
                JsonNode frame = p.path("stackTrace").path("callFrames").path(0);
                problems.add("console." + type + ": " + String.join(" ", args) + where(frame));
            }
        }

        private void exception(JsonNode details) {
            // The description is the message followed by the stack, one frame a line; keep the message.
            String text = details.path("exception").path("description").asText(details.path("text").asText());
            problems.add("uncaught: " + text.lines().findFirst().orElse("") + where(details));
        }

        private void log(JsonNode entry) {
            if (FLAGGED_LOG.contains(entry.path("level").asText())) {
                problems.add("log " + entry.path("level").asText() + " (" + entry.path("source").asText() + "): "
                        + entry.path("text").asText() + " " + shorten(entry.path("url").asText()));
            }
        }

        private void failedLoad(JsonNode p) {
            if (!p.path("canceled").asBoolean()) {
                problems.add("failed load: " + shorten(urls.getOrDefault(p.path("requestId").asText(), "?")) + " "
                        + p.path("errorText").asText());
            }
        }

        /** " at url:line" with the 1-based line, from a call frame or exception details (0-based). */
        private static String where(JsonNode location) {
            return " at " + shorten(location.path("url").asText()) + ":" + (location.path("lineNumber").asInt() + 1);
        }

        /** Data URIs of inlined charts run to megabytes; their start is enough to recognise them. */
        private static String shorten(String url) {
            return url.length() <= 120 ? url : url.substring(0, 120) + "...";
        }
    }
}
