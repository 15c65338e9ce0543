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
     * A continuation token by token: each token's natural-log probability and, where asked for, the
     * mean and variance of log p(v) over the vocabulary v under the model's own next-token distribution
     * at that token's position (E_p[log p] and Var_p[log p], which Min-K%++ normalises by).
     *
     * @param greedy        every continuation token is the model's argmax at its position
     * @param vocabMean     null when the moments were not asked for
     * @param vocabVariance null when the moments were not asked for
     */
    public record TokenLogProbs(double[] logProbs, boolean greedy, double[] vocabMean, double[] vocabVariance) {
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
        return perToken(requests, false).stream()
                .map(t -> new Score(sum(t.logProbs()), t.greedy(), t.logProbs().length)).toList();
    }

    /**
     * Scores token requests as {@link #scoreTokens} does, keeping each continuation token's
     * log-probability and the vocabulary moments at its position.
     */
    public List<TokenLogProbs> tokenLogProbs(List<TokenRequest> requests) {
        return perToken(requests, true);
    }

    private List<TokenLogProbs> perToken(List<TokenRequest> requests, boolean moments) {
        for (int i = 0; i < requests.size(); i++) {
            check(i, requests.get(i));
        }
        List<int[]> windows = requests.stream().map(this::window).toList();
        List<Row> rows = rows(windows);
        rows.sort(Comparator.comparingInt((Row r) -> r.input.length).reversed());
        TokenLogProbs[] out = new TokenLogProbs[requests.size()];
        for (int from = 0; from < rows.size(); from += batchSize) {
            scoreBatch(rows.subList(from, Math.min(rows.size(), from + batchSize)), windows, requests, out, moments);
        }
        return List.of(out);
    }

    /** In token order, so that a score's sum is the same double however it is reached. */
    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
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
     * results go to {@code out} at their requests' indices.
     */
    private void scoreBatch(List<Row> rows, List<int[]> allWindows, List<TokenRequest> requests, TokenLogProbs[] out,
                            boolean moments) {
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
        double[][] vocabMoments = null;
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
            if (moments) {
                vocabMoments = vocabMoments(logits);
            }
        }
        int k = 0;
        for (Row row : rows) {
            for (int i : row.requests()) {
                out[i] = perToken(windows.get(k), requests.get(i).continuation().length, logProbs, k * width,
                        argmax, rowOf.get(k) * width, vocabMoments);
                k++;
            }
        }
    }

    /**
     * Mean and variance of log p over the vocabulary at every position of the [rows, width, vocab]
     * logits, flattened by (row, position). One row at a time, so that the log-softmax, its exponential
     * and their product are [width, vocab] tensors however many rows a batch has; the variance is
     * E[(log p - mean)^2], which does not cancel as E[(log p)^2] - mean^2 can in float.
     */
    private static double[][] vocabMoments(Tensor logits) {
        int rows = (int) logits.size(0);
        int width = (int) logits.size(1);
        double[] mean = new double[rows * width];
        double[] variance = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            try (Engine.Scope s = Engine.scope()) {
                Tensor logP = logits.select(0, r).logSoftmax(1);
                Tensor p = logP.exp();
                Tensor mu = p.mul(logP).sum(1, true);
                System.arraycopy(mu.toDoubles(), 0, mean, r * width, width);
                System.arraycopy(p.mul(logP.sub(mu).square()).sum(1, false).toDoubles(), 0, variance, r * width, width);
            }
        }
        return new double[][] {mean, variance};
    }

    /** The continuation's log-probabilities (and moments, when computed); greedy when each token is the argmax. */
    private static TokenLogProbs perToken(int[] window, int tokens, double[] logProbs, int logProbsAt, long[] argmax,
                                          int argmaxAt, double[][] vocabMoments) {
        int inputLength = window.length - 1;
        int first = inputLength - tokens;
        boolean greedy = true;
        for (int p = first; p < inputLength; p++) {
            greedy &= argmax[argmaxAt + p] == window[p + 1];
        }
        double[] own = Arrays.copyOfRange(logProbs, logProbsAt + first, logProbsAt + inputLength);
        if (vocabMoments == null) {
            return new TokenLogProbs(own, greedy, null, null);
        }
        return new TokenLogProbs(own, greedy,
                Arrays.copyOfRange(vocabMoments[0], argmaxAt + first, argmaxAt + inputLength),
                Arrays.copyOfRange(vocabMoments[1], argmaxAt + first, argmaxAt + inputLength));
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
