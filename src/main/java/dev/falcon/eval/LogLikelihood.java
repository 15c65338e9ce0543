package dev.falcon.eval;

import dev.falcon.tokenizer.PythonWhitespace;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Log-likelihoods of continuations given contexts, computed as lm-evaluation-harness 0.4.2's
 * {@code HFLM.loglikelihood} computes them for a causal LM: the same tokenization of the pair,
 * the same left truncation to the model's context, the same sum of log-softmax values and the
 * same is-greedy test. Requests with the same model input share one row; rows are scored in
 * right-padded batches, longest first (fewest pad columns per batch), and scores are returned in
 * request order.
 */
public final class LogLikelihood {

    /** A context and the continuation whose likelihood is wanted, as text. */
    public record Request(String context, String continuation) {
    }

    /** A request after tokenization: the model reads context, then scores each continuation token. */
    public record TokenRequest(int[] context, int[] continuation) {
    }

    /**
     * @param logLikelihood sum of the natural-log probabilities of the continuation tokens
     * @param greedy        every continuation token is the model's argmax at its position
     * @param tokens        number of continuation tokens scored
     */
    public record Score(double logLikelihood, boolean greedy, int tokens) {
    }

    /**
     * Where the scored logits [B, T, V] of a batch come from. The model's own output by default; a
     * knowledge-recovery probe can read an earlier layer instead and be scored the same way.
     */
    @FunctionalInterface
    public interface Readout {
        Tensor logits(LlamaModel model, Batch batch);

        /** Every block, the final norm and the head: the model's own prediction. */
        static Readout output() {
            return (model, batch) -> model.forward(batch, null);
        }

        /**
         * The logit lens at {@code layer} (0-based): the final norm and the head applied to the
         * residual stream after that block, the blocks above it skipped. At the last layer this is
         * the same computation as {@link #output()}.
         */
        static Readout afterLayer(int layer) {
            return (model, batch) -> model.logits(model.hiddenAfter(batch, layer));
        }
    }

    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final boolean addBos;
    private final int batchSize;
    private final Readout readout;
    private final Optional<ChatTemplate> chatTemplate;

    /**
     * @param addBos    prepend BOS to every encoded text (lm-eval's {@code add_bos_token}); off by default in lm-eval
     * @param batchSize requests per forward pass
     */
    public LogLikelihood(LlamaModel model, Tokenizer tokenizer, boolean addBos, int batchSize) {
        this(model, tokenizer, addBos, batchSize, Readout.output());
    }

    /** As the four-argument constructor, with the logits taken from {@code readout}. */
    public LogLikelihood(LlamaModel model, Tokenizer tokenizer, boolean addBos, int batchSize, Readout readout) {
        this(model, tokenizer, addBos, batchSize, readout, Optional.empty());
    }

    private LogLikelihood(LlamaModel model, Tokenizer tokenizer, boolean addBos, int batchSize, Readout readout,
                          Optional<ChatTemplate> chatTemplate) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.addBos = addBos;
        this.batchSize = batchSize;
        this.readout = readout;
        this.chatTemplate = chatTemplate;
    }

    /** The same scorer (tokenizer, BOS, batch, readout and chat settings) for another model, e.g. a fine-tuned copy. */
    public LogLikelihood withModel(LlamaModel other) {
        return new LogLikelihood(other, tokenizer, addBos, batchSize, readout, chatTemplate);
    }

    /** The same scorer (model, tokenizer, BOS, batch and chat settings) reading its logits from {@code other}. */
    public LogLikelihood withReadout(Readout other) {
        return new LogLikelihood(model, tokenizer, addBos, batchSize, other, chatTemplate);
    }

    /** The same scorer with multiple-choice prompts put through {@code template} (none: plain text). */
    public LogLikelihood withChatTemplate(Optional<ChatTemplate> template) {
        return new LogLikelihood(model, tokenizer, addBos, batchSize, readout, template);
    }

    /** The chat template that {@link McqEvaluator} puts every question through; empty for plain prompts. */
    public Optional<ChatTemplate> chatTemplate() {
        return chatTemplate;
    }

    public LlamaModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** lm-eval's max_length: the model's max_position_embeddings. */
    public int maxLength() {
        return model.config().maxPositionEmbeddings();
    }

    /**
     * The token a text with no context is predicted from: lm-eval's prefix token, BOS where the
     * tokenizer has one (Llama), else EOS (Qwen2 has no BOS).
     */
    public int prefixToken() {
        return tokenizer.bosId() >= 0 ? tokenizer.bosId() : tokenizer.eosId();
    }

    public List<Score> score(List<Request> requests) {
        return scoreTokens(requests.stream().map(this::encode).toList());
    }

    /**
     * lm-eval's {@code _encode_pair}: trailing whitespace of the context moves to the front of the
     * continuation; context and context + continuation are encoded separately, and the
     * continuation's tokens are those of the whole beyond the context's token count (so a token
     * that merges across the boundary counts as continuation). An empty context becomes the
     * prefix token alone.
     */
    public TokenRequest encode(Request request) {
        String context = request.context();
        String continuation = request.continuation();
        if (context.isEmpty()) {
            return new TokenRequest(new int[] {prefixToken()}, tokenizer.encode(continuation, false, false));
        }
        int cut = endWithoutTrailingSpace(context);
        continuation = context.substring(cut) + continuation;
        context = context.substring(0, cut);
        int[] whole = tokenizer.encode(context + continuation, addBos, false);
        int[] contextIds = tokenizer.encode(context, addBos, false);
        int start = Math.min(contextIds.length, whole.length);
        return new TokenRequest(contextIds, Arrays.copyOfRange(whole, start, whole.length));
    }

    private static int endWithoutTrailingSpace(String s) {
        int end = s.length();
        while (end > 0 && PythonWhitespace.isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return end;
    }

    /**
     * Scores token requests.
     *
     * @throws IllegalArgumentException when a request has no context or continuation tokens, or
     *                                  more continuation tokens than the model's context holds
     */
    public List<Score> scoreTokens(List<TokenRequest> requests) {
        for (int i = 0; i < requests.size(); i++) {
            check(i, requests.get(i));
        }
        List<int[]> windows = requests.stream().map(this::window).toList();
        List<Row> rows = rows(windows);
        rows.sort(Comparator.comparingInt((Row r) -> r.input.length).reversed());
        Score[] scores = new Score[requests.size()];
        for (int from = 0; from < rows.size(); from += batchSize) {
            scoreBatch(rows.subList(from, Math.min(rows.size(), from + batchSize)), windows, requests, scores);
        }
        return List.of(scores);
    }

    /**
     * One model input and the requests it serves. Requests whose inputs are the same tokens (a multiple-choice
     * question's single-token answers after one context, as lm-eval groups them) share one row: the model
     * reads it once and each request gathers its own targets from the same logits.
     */
    private record Row(int[] input, List<Integer> requests) {
    }

    /** Groups the requests' windows by their model input (the window without its last token). */
    private static List<Row> rows(List<int[]> windows) {
        Map<List<Integer>, Row> byInput = new LinkedHashMap<>();
        for (int i = 0; i < windows.size(); i++) {
            int[] w = windows.get(i);
            int[] input = Arrays.copyOf(w, w.length - 1);
            byInput.computeIfAbsent(Arrays.stream(input).boxed().toList(), k -> new Row(input, new ArrayList<>()))
                    .requests().add(i);
        }
        return new ArrayList<>(byInput.values());
    }

    private void check(int index, TokenRequest r) {
        if (r.context().length == 0 || r.continuation().length == 0) {
            throw new IllegalArgumentException("request " + index + ": context and continuation must each encode "
                    + "to at least one token");
        }
        if (r.continuation().length > maxLength()) {
            throw new IllegalArgumentException("request " + index + ": continuation of " + r.continuation().length
                    + " tokens is longer than the model's context of " + maxLength());
        }
    }

    private static int totalLength(TokenRequest r) {
        return r.context().length + r.continuation().length;
    }

    /**
     * One forward pass (through the readout) over the rows. A request's window is (context +
     * continuation)[-(maxLength + 1):] and its row's input is the window without its last token; the
     * continuation is scored at the input's last {@code contlen} positions, the target at position p
     * being the window's token p + 1. {@code allWindows} holds every request's window, by request index;
     * scores go to {@code scores} at their requests' indices.
     */
    private void scoreBatch(List<Row> rows, List<int[]> allWindows, List<TokenRequest> requests, Score[] scores) {
        List<int[]> windows = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int i : rows.get(r).requests()) {
                windows.add(allWindows.get(i));
                rowOf.add(r);
            }
        }
        double[] logProbs;
        long[] argmax;
        int width;
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            Batch input = Batch.of(rows.stream().map(Row::input).toList(), 0, Batch.Padding.RIGHT);
            width = input.width();
            Tensor logits = readout.logits(model, input).to(DType.F32);
            long vocab = logits.size(2);
            long n = (long) windows.size() * width;
            long[] tokenAt = targetIndices(windows, rowOf, width, vocab);
            long[] positionAt = Arrays.stream(tokenAt).map(i -> i / vocab).toArray();
            // gathered from the logits and their log-sum-exp: no second [rows, width, vocab] tensor
            logProbs = logits.reshape(-1).indexSelect(0, Tensor.ofLongs(tokenAt, n))
                    .sub(logits.logsumexp(2, false).reshape(-1).indexSelect(0, Tensor.ofLongs(positionAt, n)))
                    .toDoubles();
            argmax = logits.argmax(2).toLongs();
        }
        int k = 0;
        for (Row row : rows) {
            for (int i : row.requests()) {
                scores[i] = score(windows.get(k), requests.get(i).continuation().length, logProbs, k * width,
                        argmax, rowOf.get(k) * width);
                k++;
            }
        }
    }

    /** Sums the continuation's log-probabilities; greedy when each of its tokens is the argmax. */
    private static Score score(int[] window, int tokens, double[] logProbs, int logProbsAt, long[] argmax,
                               int argmaxAt) {
        int inputLength = window.length - 1;
        double sum = 0;
        boolean greedy = true;
        for (int p = inputLength - tokens; p < inputLength; p++) {
            sum += logProbs[logProbsAt + p];
            greedy &= argmax[argmaxAt + p] == window[p + 1];
        }
        return new Score(sum, greedy, tokens);
    }

    /**
     * For window k (on row rowOf[k]) and position p: the index of (row, p, next token) in the flattened
     * [rows, width, vocab] logits; padding positions point at the row's token 0 (gathered, then ignored).
     */
    private static long[] targetIndices(List<int[]> windows, List<Integer> rowOf, int width, long vocab) {
        long[] out = new long[windows.size() * width];
        for (int k = 0; k < windows.size(); k++) {
            int[] w = windows.get(k);
            for (int p = 0; p < width; p++) {
                long target = p + 1 < w.length ? w[p + 1] : 0;
                out[k * width + p] = ((long) rowOf.get(k) * width + p) * vocab + target;
            }
        }
        return out;
    }

    /** The last maxLength + 1 tokens of context + continuation (lm-eval truncates from the left). */
    private int[] window(TokenRequest r) {
        int[] whole = new int[totalLength(r)];
        System.arraycopy(r.context(), 0, whole, 0, r.context().length);
        System.arraycopy(r.continuation(), 0, whole, r.context().length, r.continuation().length);
        return Arrays.copyOfRange(whole, Math.max(0, whole.length - (maxLength() + 1)), whole.length);
    }
}
