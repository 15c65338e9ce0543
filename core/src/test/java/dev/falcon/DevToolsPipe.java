package dev.falcon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The Chrome DevTools protocol over {@code --remote-debugging-pipe}: JSON messages, each ended by a NUL byte.
 * Every wait is bounded by one deadline, so a browser that stops answering turns into an IOException
 * rather than a hung build. Events that arrive while waiting go to the listener in arrival order.
 */
final class DevToolsPipe {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Put in the inbox when the browser closes its end, so a waiting reader wakes at once. */
    private static final JsonNode CLOSED = MissingNode.getInstance();

    private final OutputStream toBrowser;
    private final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    private final Instant deadline;
    private final Consumer<JsonNode> events;
    private final List<JsonNode> history = new ArrayList<>();
    private int lastId;

    DevToolsPipe(InputStream fromBrowser, OutputStream toBrowser, Duration timeout, Consumer<JsonNode> events) {
        this.toBrowser = toBrowser;
        this.deadline = Instant.now().plus(timeout);
        this.events = events;
        Thread reader = new Thread(() -> readAll(fromBrowser), "devtools-pipe-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends a command (to the browser when sessionId is null, else to that page) and returns its result. */
    JsonNode call(String sessionId, String method, ObjectNode params) throws IOException, InterruptedException {
        int id = ++lastId;
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        toBrowser.write(JSON.writeValueAsBytes(message));
        toBrowser.write(0);
        toBrowser.flush();
        while (true) {
            JsonNode reply = next(method);
            if (reply.path("id").asInt(-1) == id) {
                if (reply.has("error")) {
                    throw new IOException(method + " failed: " + reply.get("error").path("message").asText());
                }
                return reply.path("result");
            }
            dispatch(reply);
        }
    }

    /**
     * Returns once an event matching {@code wanted} has arrived, handing every message before it to the
     * listener. Events that came while an earlier call awaited its reply count too: a page can finish
     * loading before Page.navigate answers.
     */
    void await(String description, Predicate<JsonNode> wanted) throws IOException, InterruptedException {
        if (history.stream().anyMatch(wanted)) {
            return;
        }
        JsonNode event;
        do {
            event = next(description);
            dispatch(event);
        } while (!wanted.test(event));
    }

    private void dispatch(JsonNode event) {
        history.add(event);
        events.accept(event);
    }

    private JsonNode next(String waitingFor) throws IOException, InterruptedException {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        JsonNode message = inbox.poll(Math.max(left, 0), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new IOException("Chromium did not answer in time (waiting for " + waitingFor + ")");
        }
        if (message == CLOSED) {
            throw new IOException("Chromium closed the DevTools pipe (waiting for " + waitingFor + ")");
        }
        return message;
    }

    private void readAll(InputStream fromBrowser) {
        try (InputStream in = new BufferedInputStream(fromBrowser)) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == 0) {
                    inbox.add(JSON.readTree(message.toByteArray()));
                    message.reset();
                } else {
                    message.write(b);
                }
            }
        } catch (IOException e) {
            // A broken pipe means the browser is gone; the waiting side reports that below.
        } finally {
            inbox.add(CLOSED);
        }
    }
}
