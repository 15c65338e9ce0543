package dev.falcon.eval;

import dev.falcon.tokenizer.PythonWhitespace;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.engine.DType;
import dev.falcon.tokenizer.ChatTemplate;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.model.Batch;
import dev.falcon.model.KvCache;
import dev.falcon.model.LlamaModel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Log-likelihoods of continuations given contexts, computed as lm-evaluation-harness 0.4.2's
 * {@code HFLM.loglikelihood} computes them for a causal LM: the same tokenization of the pair,
 * the same left truncation to the model's context, the same sum of log-softmax values and the
 * same is-greedy test, computed with less work: requests with the same context share one reading of it
 * (single-token answers share their whole input, as lm-eval groups them; longer continuations read on
 * from the context's cached keys and values), contexts are batched longest first (fewest pad columns per
 * batch), and the final norm and the head run only at the scored positions. Scores are returned in
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
    public record TokenLogProbs(double[] logProbs, boolean greedy, double[] vocabMean, double[] vocabVariance)
            implements Serializable {
    }

    /**
     * Scores the batches of a request list: one at a time here ({@link #LOCAL}), or spread over a cluster's
     * executors, each scoring its share with {@link #score(ScoringBatch, boolean)} on the same model. The
     * batches are formed before they are scored, so that every question meets the same batch-mates and pad
     * columns wherever it is scored (its log-likelihoods are then the same doubles).
     */
    @FunctionalInterface
    public interface BatchRunner {

        /** Each batch's scores ({@link #score(ScoringBatch, boolean)}), in the order of {@code batches}. */
        List<TokenLogProbs[]> run(LogLikelihood scorer, List<ScoringBatch> batches, boolean moments);

        /** Every batch in this process, in order. */
        BatchRunner LOCAL = (scorer, batches, moments) -> batches.stream().map(b -> scorer.score(b, moments)).toList();
    }

    /**
     * Where the scored stream comes from: the residual stream [B, T, D] that the final norm and the head
     * read. The model's last block by default; a knowledge-recovery probe can read an earlier layer (or an
     * edited stream) instead and be scored the same way. The scorer applies the head itself, at the scored
     * positions only.
     */
    @FunctionalInterface
    public interface Readout {

        /**
         * The stream for the batch's tokens, which follow those already in {@code cache} (none when null); a
         * non-null cache must be extended with this batch, so that continuations can be read after it.
         */
        Tensor stream(LlamaModel model, Batch batch, KvCache cache);

        /** Every block: the final norm and the head on it give the model's own prediction. */
        static Readout output() {
            return (model, batch, cache) -> afterLayer(model.config().numLayers() - 1).stream(model, batch, cache);
        }

        /**
         * The logit lens at {@code layer} (0-based): the stream after that block, the blocks above it
         * skipped. At the last layer this is the same computation as {@link #output()}. A large process gives
         * back what each block freed before the next allocates (Engine.trimFreedMemory): scoring 20 MMLU dev
         * questions on the Llama-3.2-1B shape peaked at 2955-2986 MiB instead of 3024-3052, about 5% slower.
         * Training, and the forward passes of the benchmarks, do not trim there: on a 135M model above 2 GiB
         * (FALCON's --no-cache path, 3.3 GiB) trims after every block made a step 25% slower.
         */
        static Readout afterLayer(int layer) {
            return (model, batch, cache) -> model.hiddenAfter(batch, layer, cache, Engine::trimFreedMemory);
        }
    }

    /** Logits held at once by the head, at most (32 Mi floats: 128 MiB). */
    private static final long HEAD_ELEMENTS = 1L << 25;

    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final boolean addBos;
    /**
     * The largest float32 attention-score matrix a scoring batch may make (32 MiB): on the Llama-3.2-1B shape,
     * 8 rows of 300-token contexts made 92 MiB of scores a block, and the batch's activations took scoring's peak
     * past 3 GiB.
     */
    static final long ATTENTION_BYTES = 32L << 20;

    private final int batchSize;
    private final Readout readout;
    private final Optional<ChatTemplate> chatTemplate;
    private final BatchRunner runner;

    /**
     * @param addBos    prepend BOS to every encoded text (lm-eval's {@code add_bos_token}); off by default in lm-eval
     * @param batchSize requests per forward pass
     */
    public LogLikelihood(LlamaModel model, Tokenizer tokenizer, boolean addBos, int batchSize) {
        this(model, tokenizer, addBos, batchSize, Readout.output());
    }

    /** As the four-argument constructor, with the logits taken from {@code readout}. */
    public LogLikelihood(LlamaModel model, Tokenizer tokenizer, boolean addBos, int batchSize, Readout readout) {
        this(model, tokenizer, addBos, batchSize, readout, Optional.empty(), BatchRunner.LOCAL);
    }

    private LogLikelihood(LlamaModel model, Tokenizer tokenizer, boolean addBos, int batchSize, Readout readout,
                          Optional<ChatTemplate> chatTemplate, BatchRunner runner) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.addBos = addBos;
        this.batchSize = batchSize;
        this.readout = readout;
        this.chatTemplate = chatTemplate;
        this.runner = runner;
    }

    /**
     * The same scorer (tokenizer, BOS, batch, readout and chat settings) for another model, e.g. a fine-tuned
     * copy; it scores its batches here, since a runner elsewhere holds the first model, not this one.
     */
    public LogLikelihood withModel(LlamaModel other) {
        return new LogLikelihood(other, tokenizer, addBos, batchSize, readout, chatTemplate, BatchRunner.LOCAL);
    }

    /**
     * The same scorer (model, tokenizer, BOS, batch and chat settings) reading its logits from {@code other};
     * it scores its batches here, since a runner elsewhere reads the model's own output.
     */
    public LogLikelihood withReadout(Readout other) {
        return new LogLikelihood(model, tokenizer, addBos, batchSize, other, chatTemplate, BatchRunner.LOCAL);
    }

    /**
     * The same scorer with its batches scored by {@code other}, which must score this model, with its own
     * output and batch size (e.g. the same checkpoint opened by a cluster's executors).
     */
    public LogLikelihood withRunner(BatchRunner other) {
        return new LogLikelihood(model, tokenizer, addBos, batchSize, readout, chatTemplate, other);
    }

    /** The same scorer with multiple-choice prompts put through {@code template} (none: plain text). */
    public LogLikelihood withChatTemplate(Optional<ChatTemplate> template) {
        return new LogLikelihood(model, tokenizer, addBos, batchSize, readout, template, runner);
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
        List<ScoringBatch> batches = plan(requests);
        List<TokenLogProbs[]> scored = runner.run(this, batches, moments);
        TokenLogProbs[] out = new TokenLogProbs[requests.size()];
        for (int b = 0; b < batches.size(); b++) {
            int[] order = batches.get(b).requests();
            for (int k = 0; k < order.length; k++) {
                out[order[k]] = scored.get(b)[k];
            }
        }
        return List.of(out);
    }

    /**
     * The forward batches that score {@code requests}: requests that share a context grouped, groups longest
     * first, {@code batchSize} groups a batch, or fewer where their contexts are long ({@link #rowsFitting}).
     */
    public List<ScoringBatch> plan(List<TokenRequest> requests) {
        for (int i = 0; i < requests.size(); i++) {
            check(i, requests.get(i));
        }
        List<Window> windows = requests.stream().map(r -> new Window(window(r), r.continuation().length)).toList();
        List<Group> groups = groups(windows);
        groups.sort(Comparator.comparingInt((Group g) -> g.shared().length).reversed());
        List<ScoringBatch> batches = new ArrayList<>();
        for (int from = 0; from < groups.size(); ) {
            int rows = rowsFitting(groups.get(from).shared().length);
            batches.add(new ScoringBatch(List.copyOf(groups.subList(from, Math.min(groups.size(), from + rows)))));
            from += rows;
        }
        return batches;
    }

    /**
     * Rows of a batch whose longest context has {@code width} tokens: at most {@code batchSize}, and no more
     * than keep its float32 attention scores (rows x heads x width x width) within {@link #ATTENTION_BYTES}, so
     * that long contexts make smaller batches instead of a quadratically larger peak (at least one row).
     */
    private int rowsFitting(int width) {
        long perRow = (long) model.config().numHeads() * width * width * Float.BYTES;
        return (int) Math.max(1, Math.min(batchSize, ATTENTION_BYTES / Math.max(1, perRow)));
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
     * A request's window, (context + continuation)[-(maxLength + 1):], and its continuation's length. The
     * model's input is the window without its last token; the continuation is scored at the input's last
     * {@code continuation} positions, the target at position p being the window's token p + 1.
     */
    private record Window(int[] tokens, int continuation) implements Serializable {

        int inputLength() {
            return tokens.length - 1;
        }

        int firstScored() {
            return inputLength() - continuation;
        }

        /** What the model reads before the continuation's first token is predicted. */
        List<Integer> context() {
            return Arrays.stream(tokens, 0, tokens.length - continuation).boxed().toList();
        }
    }

    /**
     * Requests with the same context, and the longest start their inputs share: the model reads it once.
     * A multiple-choice question's single-token answers share their whole input (one row, as lm-eval groups
     * them); cloze answers share the question, and each reads the rest of its input after the question's
     * cached keys and values.
     */
    private record Group(int[] shared, List<Member> members) implements Serializable {
    }

    /** A request of a group: its index in the scored list and its window. */
    private record Member(int request, Window window) implements Serializable {
    }

    /**
     * One forward batch of groups, as {@link #plan} forms it; serializable, so that a cluster can ship it to
     * the executor that scores it.
     */
    public static final class ScoringBatch implements Serializable {

        private static final long serialVersionUID = 1L;

        private final List<Group> groups;

        private ScoringBatch(List<Group> groups) {
            this.groups = groups;
        }

        private List<Group> groups() {
            return groups;
        }

        /** The indices of the batch's requests, in the order {@link #score(ScoringBatch, boolean)} returns them. */
        public int[] requests() {
            return groups.stream().flatMap(g -> g.members().stream()).mapToInt(Member::request).toArray();
        }
    }

    private static List<Group> groups(List<Window> windows) {
        Map<List<Integer>, List<Integer>> byContext = new LinkedHashMap<>();
        for (int i = 0; i < windows.size(); i++) {
            byContext.computeIfAbsent(windows.get(i).context(), k -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>();
        for (List<Integer> requests : byContext.values()) {
            int shared = windows.get(requests.get(0)).inputLength();
            int[] first = windows.get(requests.get(0)).tokens();
            for (int i : requests) {
                int length = Math.min(shared, windows.get(i).inputLength());
                int differ = Arrays.mismatch(first, 0, length, windows.get(i).tokens(), 0, length);
                shared = differ < 0 ? length : differ;
            }
            groups.add(new Group(Arrays.copyOf(first, shared),
                    requests.stream().map(i -> new Member(i, windows.get(i))).toList()));
        }
        return groups;
    }

    /** The input tokens of request {@code request} beyond its group's shared start (group {@code group} of the batch). */
    private record Rest(int group, int request, int[] tokens) {
    }

    /**
     * Scores one batch of groups: their shared inputs in one left-padded forward pass (so every row ends at
     * the same column and a continuation's tokens follow its context directly), then the inputs' rests,
     * longest first, in right-padded passes of at most {@code batchSize} rows over the context's cache,
     * copied for each row. The head runs only at the scored positions.
     *
     * @return the requests' scores in the order of {@link ScoringBatch#requests()}
     */
    public TokenLogProbs[] score(ScoringBatch batch, boolean moments) {
        List<Group> groups = batch.groups();
        int width = groups.stream().mapToInt(g -> g.shared().length).max().orElseThrow();
        List<Rest> rests = rests(groups);
        Scores scores;
        try (Engine.Scope s = Engine.scope(); Engine.Guard g = Engine.noGrad()) {
            KvCache cache = rests.isEmpty() ? null : new KvCache(model.config().numLayers());
            List<Tensor> streams = new ArrayList<>();
            streams.add(flat(readout.stream(model,
                    Batch.of(groups.stream().map(Group::shared).toList(), 0, Batch.Padding.LEFT), cache)));
            Map<Integer, Long> restRow = new HashMap<>();
            long base = (long) groups.size() * width;
            for (int from = 0; from < rests.size(); from += batchSize) {
                List<Rest> chunk = rests.subList(from, Math.min(rests.size(), from + batchSize));
                Batch rows = Batch.of(chunk.stream().map(Rest::tokens).toList(), 0, Batch.Padding.RIGHT);
                long[] contexts = chunk.stream().mapToLong(Rest::group).toArray();
                streams.add(flat(readout.stream(model, rows, cache.rows(contexts))));
                for (int k = 0; k < chunk.size(); k++) {
                    restRow.put(chunk.get(k).request(), base + (long) k * rows.width());
                }
                base += (long) chunk.size() * rows.width();
            }
            long[][] picked = scoredRows(groups, width, restRow);
            scores = head(Tensor.cat(streams, 0).indexSelect(0, Tensor.ofLongs(picked[0], picked[0].length)),
                    picked[1], moments);
        }
        Engine.trimFreedMemory();
        List<TokenLogProbs> out = new ArrayList<>();
        int at = 0;
        for (Group group : groups) {
            for (Member m : group.members()) {
                out.add(scores.slice(at, m.window().continuation()));
                at += m.window().continuation();
            }
        }
        return out.toArray(TokenLogProbs[]::new);
    }

    private static Tensor flat(Tensor stream) {
        return stream.reshape(-1, stream.size(2));
    }

    private static List<Rest> rests(List<Group> groups) {
        List<Rest> rests = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            int shared = groups.get(g).shared().length;
            for (Member m : groups.get(g).members()) {
                Window w = m.window();
                if (w.inputLength() > shared) {
                    rests.add(new Rest(g, m.request(), Arrays.copyOfRange(w.tokens(), shared, w.inputLength())));
                }
            }
        }
        rests.sort(Comparator.comparingInt((Rest r) -> r.tokens().length).reversed());
        return rests;
    }

    /**
     * For every scored token, request by request in batch order: its row in the concatenated flattened
     * streams (the shared pass, left-padded to {@code width}, then the rests' passes starting at
     * {@code restRow}) and its target token.
     */
    private static long[][] scoredRows(List<Group> groups, int width, Map<Integer, Long> restRow) {
        int n = groups.stream().flatMap(g -> g.members().stream()).mapToInt(m -> m.window().continuation()).sum();
        long[] rows = new long[n];
        long[] targets = new long[n];
        int k = 0;
        for (int g = 0; g < groups.size(); g++) {
            int shared = groups.get(g).shared().length;
            long sharedRow = (long) g * width + (width - shared);
            for (Member m : groups.get(g).members()) {
                Window w = m.window();
                for (int p = w.firstScored(); p < w.inputLength(); p++, k++) {
                    rows[k] = p < shared ? sharedRow + p : restRow.get(m.request()) + (p - shared);
                    targets[k] = w.tokens()[p + 1];
                }
            }
        }
        return new long[][] {rows, targets};
    }

    /**
     * Per scored token: its target's natural-log probability, the argmax, and (when asked for) the mean and
     * variance of log p over the vocabulary.
     */
    private record Scores(double[] logProbs, long[] targets, long[] argmax, double[] mean, double[] variance) {

        /** {@code tokens} scored tokens from {@code at}: one request's; greedy when each is the argmax. */
        TokenLogProbs slice(int at, int tokens) {
            boolean greedy = true;
            for (int k = at; k < at + tokens; k++) {
                greedy &= argmax[k] == targets[k];
            }
            double[] own = Arrays.copyOfRange(logProbs, at, at + tokens);
            return mean == null ? new TokenLogProbs(own, greedy, null, null) : new TokenLogProbs(own, greedy,
                    Arrays.copyOfRange(mean, at, at + tokens), Arrays.copyOfRange(variance, at, at + tokens));
        }
    }

    /**
     * The final norm and the head on the scored stream rows [N, D], a bounded number of rows at a time so
     * that no more than {@link #HEAD_ELEMENTS} logits are held however many tokens are scored. The
     * log-probability is gathered from the logits and their log-sum-exp; the variance is
     * E[(log p - mean)^2], which does not cancel as E[(log p)^2] - mean^2 can in float.
     */
    private Scores head(Tensor stream, long[] targets, boolean moments) {
        int n = targets.length;
        Scores out = new Scores(new double[n], targets, new long[n], moments ? new double[n] : null,
                moments ? new double[n] : null);
        int chunk = (int) Math.max(1, HEAD_ELEMENTS / model.config().vocabSize());
        for (int from = 0; from < n; from += chunk) {
            int len = Math.min(chunk, n - from);
            try (Engine.Scope s = Engine.scope()) {
                Tensor logits = model.logits(stream.narrow(0, from, len)).to(DType.F32);
                long vocab = logits.size(1);
                long[] flatTargets = new long[len];
                for (int j = 0; j < len; j++) {
                    flatTargets[j] = j * vocab + targets[from + j];
                }
                double[] logProbs = logits.reshape(-1).indexSelect(0, Tensor.ofLongs(flatTargets, len))
                        .sub(logits.logsumexp(1, false)).toDoubles();
                System.arraycopy(logProbs, 0, out.logProbs(), from, len);
                System.arraycopy(logits.argmax(1).toLongs(), 0, out.argmax(), from, len);
                if (moments) {
                    Tensor logP = logits.logSoftmax(1);
                    Tensor p = logP.exp();
                    Tensor mu = p.mul(logP).sum(1, true);
                    System.arraycopy(mu.toDoubles(), 0, out.mean(), from, len);
                    System.arraycopy(p.mul(logP.sub(mu).square()).sum(1, false).toDoubles(), 0, out.variance(),
                            from, len);
                }
            }
        }
        return out;
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

    /** The last maxLength + 1 tokens of context + continuation (lm-eval truncates from the left). */
    private int[] window(TokenRequest r) {
        int[] whole = new int[r.context().length + r.continuation().length];
        System.arraycopy(r.context(), 0, whole, 0, r.context().length);
        System.arraycopy(r.continuation(), 0, whole, r.context().length, r.continuation().length);
        return Arrays.copyOfRange(whole, Math.max(0, whole.length - (maxLength() + 1)), whole.length);
    }
}
