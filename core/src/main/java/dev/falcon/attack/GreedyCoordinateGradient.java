package dev.falcon.attack;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falcon.InputException;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
import dev.falcon.data.McqItem;
import dev.falcon.data.McqPrompt;
import dev.falcon.engine.DType;
import dev.falcon.engine.Engine;
import dev.falcon.engine.Tensor;
import dev.falcon.eval.Accuracy;
import dev.falcon.eval.LogLikelihood;
import dev.falcon.eval.McqEvaluator;
import dev.falcon.model.AttentionContext;
import dev.falcon.model.Batch;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.LlamaModel;
import dev.falcon.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An adversarial suffix found by greedy coordinate gradient (GCG; Zou et al. 2023, "Universal and
 * Transferable Adversarial Attacks on Aligned Language Models", arXiv 2307.15043, Algorithm 1 with the
 * multiple-prompt loss of their universal suffixes). The FALCON paper's Table 4 reports GCG bringing RMU back
 * to 58.5-60.2% on WMDP-Bio while FALCON stayed at 28-29%.
 *
 * <p>The suffix is m tokens put between a question's context and its answer, where Zou et al. put theirs
 * between the request and the response. Its loss is the mean, over held-out forget questions, of the
 * negative log-likelihood of the right answer's continuation. Each iteration takes the gradient of that
 * loss with respect to the suffix as one-hot vectors (one_hot @ embedding matrix feeds the blocks), takes
 * the k tokens with the most negative gradient at each position, draws B single-token swaps (a position
 * uniformly, then one of its k tokens uniformly), scores them all, and moves to the best, as Algorithm 1
 * does even when it is worse. The suffix applied after n iterations is the lowest-loss one met so far.
 * Tokens are swapped as ids and never decoded, so no candidate needs the re-tokenization check that text
 * suffixes do; special tokens (BOS, EOS) and ids past the tokenizer's vocabulary are never proposed.
 *
 * <p>The budget is the number of iterations; 0 is the plain score, with no suffix.
 */
public final class GreedyCoordinateGradient implements Attack {

    /** The default budgets: the plain score, then 10 and 50 iterations. */
    static final List<String> DEFAULT_ITERATIONS = List.of("0", "10", "50");

    /** The suffix applied after {@code iterations} iterations and its mean held-out loss (nats). */
    public record Suffix(int iterations, int[] tokens, double loss) {

        public Suffix {
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }
    }

    private final GcgSettings settings;

    public GcgSettings settings() {
        return settings;
    }

    public GreedyCoordinateGradient(GcgSettings settings) {
        this.settings = settings;
    }

    /** {@link GcgSettings#heldOut} questions drawn by the seed to optimise on; the rest, in order, are scored. */
    HeldOutQuestions split(McqDataset questions) {
        return HeldOutQuestions.draw("gcg", questions, settings.heldOut(), settings.seed(), "to optimise the suffix on");
    }

    @Override
    public String name() {
        return "gcg";
    }

    @Override
    public String budgetAxis() {
        return "iterations";
    }

    @Override
    public List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        return DEFAULT_ITERATIONS;
    }

    @Override
    public void check(List<String> budgets, AttackInputs inputs) {
        Budgets.requireCounts(name(), budgets, 0);
        split(inputs.questions());
    }

    /**
     * Optimises one suffix on the held-out questions up to the largest budget, then scores the other
     * questions with the suffix of each budget; the details hold each budget's suffix and held-out loss.
     */
    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        HeldOutQuestions split = split(inputs.questions());
        List<Integer> iterations = budgets.stream().map(b -> Budgets.count(name(), b, 0)).toList();
        List<Suffix> suffixes = optimise(scorer, inputs.form(), split.heldOut(), iterations);
        McqEvaluator evaluator = new McqEvaluator(scorer);
        List<AttackCurve.Point> points = new ArrayList<>();
        ObjectNode details = JsonNodeFactory.instance.objectNode().put("held_out_questions", split.heldOut().size());
        ObjectNode bySuffix = details.putObject("suffix_by_budget");
        ObjectNode byLoss = details.putObject("held_out_loss_by_budget");
        for (int i = 0; i < budgets.size(); i++) {
            Suffix s = suffixes.get(i);
            Accuracy accuracy = s.iterations() == 0 ? evaluator.score(split.scored(), inputs.form())
                    : evaluator.evaluate(split.scored(), inputs.form(), after(s.tokens())).accuracy();
            points.add(new AttackCurve.Point(budgets.get(i), accuracy));
            Arrays.stream(s.tokens()).forEach(bySuffix.putArray(budgets.get(i))::add);
            byLoss.put(budgets.get(i), s.loss());
            budgetDone.accept(budgets.get(i));
        }
        return new AttackCurve(name(), budgetAxis(), split.scored().task(), points, details);
    }

    /** Puts {@code suffix} between a request's context and its continuation. */
    public static UnaryOperator<LogLikelihood.TokenRequest> after(int[] suffix) {
        return r -> new LogLikelihood.TokenRequest(concat(r.context(), suffix), r.continuation());
    }

    /**
     * Runs max(iterations) iterations on the held-out questions and returns, for each budget in the order
     * given, the lowest-loss suffix met within that many iterations (the initial "! ! ... !" at 0).
     */
    public List<Suffix> optimise(LogLikelihood scorer, McqForm form, List<McqItem> heldOut, List<Integer> iterations) {
        for (int n : iterations) {
            if (n < 0) {
                throw new InputException("attack gcg: a number of iterations must be at least 0, got " + n);
            }
        }
        List<LogLikelihood.TokenRequest> targets = targets(scorer, form, heldOut);
        int[] current = initialSuffix(scorer.tokenizer());
        checkLength(scorer, targets, current.length);
        boolean[] excluded = excluded(scorer.tokenizer(), scorer.model().config().vocabSize());
        int last = iterations.stream().mapToInt(Integer::intValue).max().orElse(0);
        Random rng = new Random(settings.seed() + 1);
        Suffix[] bestAfter = new Suffix[last + 1];
        bestAfter[0] = new Suffix(0, current, losses(scorer, targets, List.of(current))[0]);
        for (int step = 1; step <= last; step++) {
            int[][] topK = topK(gradient(scorer.model(), targets, current), excluded);
            List<int[]> candidates = swaps(current, topK, rng);
            double[] losses = losses(scorer, targets, candidates);
            int best = argmin(losses);
            current = candidates.get(best);
            Suffix before = bestAfter[step - 1];
            bestAfter[step] = losses[best] < before.loss() ? new Suffix(step, current, losses[best])
                    : new Suffix(step, before.tokens(), before.loss());
        }
        return iterations.stream().map(n -> new Suffix(n, bestAfter[n].tokens(), bestAfter[n].loss())).toList();
    }

    /** Each held-out question's context with the right answer as continuation, tokenized as the scorer does. */
    static List<LogLikelihood.TokenRequest> targets(LogLikelihood scorer, McqForm form, List<McqItem> heldOut) {
        return heldOut.stream().map(item -> {
            McqPrompt prompt = new McqEvaluator(scorer).asked(form.prompt(item));
            return scorer.encode(new LogLikelihood.Request(prompt.context(), prompt.continuations().get(item.answer())));
        }).toList();
    }

    /** Zou et al.'s initial suffix, "! ! ... !": m copies of the token that "!" ends with. */
    private int[] initialSuffix(Tokenizer tokenizer) {
        int[] bang = tokenizer.encode("!", false, false);
        int[] suffix = new int[settings.suffixLength()];
        Arrays.fill(suffix, bang[bang.length - 1]);
        return suffix;
    }

    /** The gradient and candidate losses are taken on whole rows, so no held-out row may be cut to the context. */
    private static void checkLength(LogLikelihood scorer, List<LogLikelihood.TokenRequest> targets, int suffix) {
        for (LogLikelihood.TokenRequest t : targets) {
            int length = t.context().length + suffix + t.continuation().length;
            if (length > scorer.maxLength() + 1) {
                throw new InputException("attack gcg: a held-out question with its " + suffix + "-token suffix is "
                        + length + " tokens, longer than the model's context of " + scorer.maxLength());
            }
        }
    }

    private static boolean[] excluded(Tokenizer tokenizer, int vocab) {
        boolean[] out = new boolean[vocab];
        for (int id = Math.min(tokenizer.vocabSize(), vocab); id < vocab; id++) {
            out[id] = true;
        }
        for (int special : new int[] {tokenizer.bosId(), tokenizer.eosId()}) {
            if (special >= 0 && special < vocab) {
                out[special] = true;
            }
        }
        return out;
    }

    /** Mean negative log-likelihood of the targets behind each suffix, all rows scored together. */
    private static double[] losses(LogLikelihood scorer, List<LogLikelihood.TokenRequest> targets,
                                   List<int[]> suffixes) {
        List<LogLikelihood.TokenRequest> requests = new ArrayList<>();
        for (int[] suffix : suffixes) {
            targets.stream().map(after(suffix)).forEach(requests::add);
        }
        List<LogLikelihood.Score> scores = scorer.scoreTokens(requests);
        double[] out = new double[suffixes.size()];
        for (int i = 0; i < scores.size(); i++) {
            out[i / targets.size()] -= scores.get(i).logLikelihood() / targets.size();
        }
        return out;
    }

    /** The first index of the smallest value. */
    private static int argmin(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** B copies of the suffix, each with one position (uniform) set to one of its top-k tokens (uniform). */
    private List<int[]> swaps(int[] suffix, int[][] topK, Random rng) {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < settings.candidates(); b++) {
            int[] candidate = suffix.clone();
            int position = rng.nextInt(suffix.length);
            candidate[position] = topK[position][rng.nextInt(topK[position].length)];
            out.add(candidate);
        }
        return out;
    }

    /** Per suffix position, the allowed tokens with the most negative gradient, at most k of them. */
    private int[][] topK(Tensor gradient, boolean[] excluded) {
        int positions = (int) gradient.size(0);
        int vocab = (int) gradient.size(1);
        long[] order = gradient.neg().sort(1, true)[1].toLongs();
        int[][] out = new int[positions][];
        for (int i = 0; i < positions; i++) {
            int[] kept = new int[settings.topK()];
            int n = 0;
            for (int j = 0; j < vocab && n < kept.length; j++) {
                int id = (int) order[i * vocab + j];
                if (!excluded[id]) {
                    kept[n++] = id;
                }
            }
            out[i] = Arrays.copyOf(kept, n);
        }
        return out;
    }

    /** d loss / d one-hot suffix, [m, V] at least in float32, for the suffix {@code tokens}. */
    static Tensor gradient(LlamaModel model, List<LogLikelihood.TokenRequest> targets, int[] tokens) {
        try (Engine.Scope s = Engine.scope()) {
            Tensor oneHot = oneHot(tokens, model.config().vocabSize(), model.dtype()).requiresGrad(true);
            Tensor loss = new Rows(targets, tokens).loss(model, oneHot);
            return s.keep(loss.gradients(List.of(oneHot), false)[0].to(wide(model.dtype())));
        }
    }

    /** [m, V] rows of zeros with a 1 at each suffix token. */
    static Tensor oneHot(int[] tokens, int vocab, DType dtype) {
        float[] data = new float[tokens.length * vocab];
        for (int i = 0; i < tokens.length; i++) {
            data[i * vocab + tokens[i]] = 1;
        }
        return Tensor.of(data, tokens.length, vocab).to(dtype);
    }

    /**
     * The held-out rows (context, suffix, continuation without its last token) in one right-padded batch,
     * with where the suffix sits, so that its embeddings can come from a one-hot matrix instead of a lookup.
     */
    static final class Rows {
        final Batch batch;
        /** [B, T, m]: 1 where position t holds suffix token i. */
        final Tensor placement;
        /** [B, T, 1]: 0 at the suffix positions, 1 elsewhere. */
        final Tensor outsideSuffix;
        /** Per row, the positions whose next token is scored and those tokens. */
        private final List<int[]> positions = new ArrayList<>();
        private final List<int[]> next = new ArrayList<>();

        Rows(List<LogLikelihood.TokenRequest> targets, int[] suffix) {
            List<int[]> inputs = new ArrayList<>();
            for (LogLikelihood.TokenRequest t : targets) {
                int[] whole = concat(concat(t.context(), suffix), t.continuation());
                inputs.add(Arrays.copyOf(whole, whole.length - 1));
                int first = t.context().length + suffix.length - 1;
                int[] at = new int[t.continuation().length];
                for (int j = 0; j < at.length; j++) {
                    at[j] = first + j;
                }
                positions.add(at);
                next.add(t.continuation());
            }
            batch = Batch.of(inputs, 0, Batch.Padding.RIGHT);
            int rows = inputs.size();
            int width = batch.width();
            float[] place = new float[rows * width * suffix.length];
            float[] outside = new float[rows * width];
            Arrays.fill(outside, 1);
            for (int r = 0; r < rows; r++) {
                int start = targets.get(r).context().length;
                for (int i = 0; i < suffix.length; i++) {
                    place[(r * width + start + i) * suffix.length + i] = 1;
                    outside[r * width + start + i] = 0;
                }
            }
            placement = Tensor.of(place, rows, width, suffix.length);
            outsideSuffix = Tensor.of(outside, rows, width, 1);
        }

        /** Logits [B, T, V] with the suffix embedded as {@code oneHot} @ the embedding matrix. */
        Tensor logits(LlamaModel model, Tensor oneHot) {
            DType dtype = model.dtype();
            Tensor suffix = oneHot.matmul(model.param(LlamaModel.EMBED));
            Tensor h = model.embed(batch.ids()).mul(outsideSuffix.to(dtype)).add(placement.to(dtype).matmul(suffix));
            AttentionContext ctx = model.context(batch, null);
            return model.logits(model.blocks(h, ctx, 0, model.config().numLayers(), null));
        }

        /** The mean over rows of the continuations' negative log-likelihood, a scalar tensor. */
        Tensor loss(LlamaModel model, Tensor oneHot) {
            Tensor logProbs = logits(model, oneHot).to(wide(model.dtype())).logSoftmax(2);
            long width = logProbs.size(1);
            long vocab = logProbs.size(2);
            List<Long> flat = new ArrayList<>();
            for (int r = 0; r < positions.size(); r++) {
                for (int j = 0; j < positions.get(r).length; j++) {
                    flat.add((r * width + positions.get(r)[j]) * vocab + next.get(r)[j]);
                }
            }
            Tensor index = Tensor.ofLongs(flat.stream().mapToLong(Long::longValue).toArray(), flat.size());
            return logProbs.reshape(-1).indexSelect(0, index).sum().neg().div(positions.size());
        }
    }

    /** float64 stays float64; everything else is computed in float32, as the scorer does. */
    private static DType wide(DType dtype) {
        return dtype == DType.F64 ? DType.F64 : DType.F32;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
