package dev.falcon.attack;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqForm;
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
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Directional ablation as an attack on unlearning. Unlearning of the RMU kind mostly adds a large vector
 * to the residual stream on forget text; projecting the difference of means between the unlearned and the
 * original model's streams out of the unlearned model's stream brought back much of the forgotten
 * knowledge (Arditi and Chughtai, "Unlearning via RMU is mostly shallow", 2024, with the directional
 * ablation of Arditi et al. 2024, "Refusal in language models is mediated by a single direction"; Łucki et
 * al., arXiv 2409.18025, who ablate one such direction per layer; about 74% of the WMDP-Bio gap of RMU on
 * Gemma-2-2B in Le's replication).
 *
 * <p>The stream is ablated at every point: the embedding output and the output of every block, each with
 * directions of its own (as Łucki et al.; Arditi et al. take a single direction from one layer), since the
 * shift an edit leaves grows and turns as it passes through the blocks above it. Points are measured in
 * order and each point's differences are taken with the earlier points' directions already ablated, so that
 * a point's directions describe what the edit adds there rather than the consequences, further up, of a
 * shift that is already removed. The budget k is the number of directions per point: the first is the
 * normalised difference of means (the papers' direction); further ones are the top principal directions
 * of the per-token differences orthogonal to it, for an edit whose shift varies between tokens. Budget 0
 * is the plain score.
 */
public final class DirectionAblation implements Attack {

    /** The default budgets: none (the plain score), then 1, 2 and 4 directions per point. */
    static final List<String> DEFAULT_DIRECTIONS = List.of("0", "1", "2", "4");

    /**
     * The ablated directions at each stream point: index 0 the embedding output, index l + 1 the output of
     * block l; each an orthonormal [k, D] matrix in the model's dtype, or null where nothing is ablated.
     */
    public record Directions(List<Tensor> byPoint) {

        public Directions {
            byPoint = Collections.unmodifiableList(new ArrayList<>(byPoint));
        }

        /** No direction at any of the model's {@code layers} + 1 points. */
        static Directions none(int layers) {
            return new Directions(Arrays.asList(new Tensor[layers + 1]));
        }

        /** How many directions are ablated at {@code point}. */
        public int count(int point) {
            Tensor d = byPoint.get(point);
            return d == null ? 0 : (int) d.size(0);
        }

        /** {@code h} without its components along the directions at {@code point}: h - (h Q^T) Q. */
        Tensor ablate(Tensor h, int point) {
            Tensor q = byPoint.get(point);
            return q == null ? h : h.sub(h.matmul(q.t()).matmul(q));
        }
    }

    private final DirectionAblationSettings settings;

    public DirectionAblation(DirectionAblationSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "direction-ablation";
    }

    @Override
    public String budgetAxis() {
        return "directions";
    }

    @Override
    public List<String> defaultBudgets(LlamaConfig config, AttackInputs inputs) {
        return DEFAULT_DIRECTIONS;
    }

    @Override
    public void check(List<String> budgets, AttackInputs inputs) {
        Budgets.requireCounts(name(), budgets, 0);
        if (inputs.forgetText().isEmpty()) {
            throw new InputException("attack " + name() + " measures its directions on forget text; give some");
        }
    }

    @Override
    public boolean needsOriginal() {
        return true;
    }

    /** Each budget scored on its own, no details. */
    @Override
    public boolean pointsIndependent() {
        return true;
    }

    @Override
    public AttackCurve run(LogLikelihood scorer, AttackInputs inputs, List<String> budgets,
                           Consumer<String> budgetDone) {
        check(budgets, inputs);
        if (inputs.original() == null) {
            throw new InputException("attack " + name() + " needs the model before unlearning (--original)");
        }
        return AttackCurve.measure(this, inputs.questions(), budgets, b -> score(scorer, inputs.original(),
                inputs.forgetText(), inputs.questions(), inputs.form(), Budgets.count(name(), b, 0)), budgetDone);
    }

    /** Accuracy on {@code questions} with {@code k} directions per point ablated (0: the plain score). */
    public Accuracy score(LogLikelihood scorer, LlamaModel original, List<Document> forget, McqDataset questions,
                          McqForm form, int k) {
        LogLikelihood ablated = k == 0 ? scorer
                : scorer.withReadout(readout(find(original, scorer.model(), scorer.tokenizer(), forget, k)));
        return new McqEvaluator(ablated).score(questions, form);
    }

    /** The model's output with {@code directions} ablated at every point of the stream. */
    public static LogLikelihood.Readout readout(Directions directions) {
        return (model, batch, cache) -> {
            AttentionContext ctx = model.context(batch, cache);
            Tensor h = directions.ablate(model.embed(batch.ids()), 0);
            for (int l = 0; l < model.config().numLayers(); l++) {
                h = directions.ablate(model.block(l, h, ctx, cache), l + 1);
            }
            ctx.commit(cache);
            return h;
        };
    }

    /**
     * Up to {@code k} directions per point from the first documents of {@code forget}, read by both models;
     * every token counts except BOS, which carries no forget text (and, in trained models, an outsized norm).
     *
     * @throws InputException when there is no forget text
     */
    public Directions find(LlamaModel original, LlamaModel unlearned, Tokenizer tokenizer, List<Document> forget,
                           int k) {
        if (forget.isEmpty()) {
            throw new InputException("direction-ablation measures its directions on forget text; none was given");
        }
        int layers = original.config().numLayers();
        Directions found = Directions.none(layers);
        List<Tensor> byPoint = new ArrayList<>(found.byPoint());
        try (Engine.Guard g = Engine.noGrad()) {
            List<Streams> streams = streams(original, unlearned, tokenizer, forget);
            for (int point = 0; point <= layers; point++) {
                if (point > 0) {
                    for (Streams s : streams) {
                        s.advance(original, unlearned, point - 1);
                    }
                }
                Tensor q = directions(streams, k, original.dtype());
                byPoint.set(point, q);
                Directions sofar = new Directions(byPoint);
                for (Streams s : streams) {
                    s.unlearned = sofar.ablate(s.unlearned, point);
                }
            }
        }
        return new Directions(byPoint);
    }

    /** One batch of documents read by both models, advanced block by block; unlearned is ablated as it goes. */
    private static final class Streams {
        final Batch batch;
        final AttentionContext originalCtx;
        final AttentionContext unlearnedCtx;
        /** [B, T, 1], 1 at the tokens that count. */
        final Tensor weight;
        Tensor original;
        Tensor unlearned;

        Streams(Batch batch, Tensor weight, LlamaModel original, LlamaModel unlearned) {
            this.batch = batch;
            this.weight = weight;
            this.originalCtx = original.context(batch, null);
            this.unlearnedCtx = unlearned.context(batch, null);
            this.original = original.embed(batch.ids());
            this.unlearned = unlearned.embed(batch.ids());
        }

        void advance(LlamaModel originalModel, LlamaModel unlearnedModel, int layer) {
            original = originalModel.block(layer, original, originalCtx, null);
            unlearned = unlearnedModel.block(layer, unlearned, unlearnedCtx, null);
        }
    }

    private List<Streams> streams(LlamaModel original, LlamaModel unlearned, Tokenizer tokenizer,
                                  List<Document> forget) {
        boolean bos = tokenizer.bosId() >= 0;
        int length = Math.min(settings.maxTokens(), original.config().maxPositionEmbeddings());
        List<int[]> docs = forget.subList(0, Math.min(settings.documents(), forget.size())).stream()
                .map(d -> tokenizer.encode(d.text(), bos, false))
                .map(ids -> Arrays.copyOf(ids, Math.min(ids.length, length))).toList();
        List<Streams> out = new ArrayList<>();
        for (int from = 0; from < docs.size(); from += settings.batchSize()) {
            Batch batch = Batch.of(docs.subList(from, Math.min(docs.size(), from + settings.batchSize())), 0,
                    Batch.Padding.RIGHT);
            Tensor weight = batch.mask().to(DType.F64);
            if (bos) {
                weight = weight.mul(Tensor.arange(batch.width()).gt(0).to(DType.F64).view(1, batch.width()));
            }
            out.add(new Streams(batch, weight.unsqueeze(2), original, unlearned));
        }
        return out;
    }

    /**
     * The directions at the streams' current point, in float64: the normalised mean difference, then the
     * principal directions of the uncentred per-token differences with the earlier ones projected out, each
     * kept only above {@link DirectionAblationSettings#minShift} of the original's stream norm.
     */
    private Tensor directions(List<Streams> streams, int k, DType dtype) {
        long dim = streams.get(0).original.size(2);
        Tensor sum = Tensor.zeros(DType.F64, dim);
        Tensor gram = k > 1 ? Tensor.zeros(DType.F64, dim, dim) : null;
        double squares = 0;
        double tokens = 0;
        for (Streams s : streams) {
            try (Engine.Scope scope = Engine.scope()) {
                Tensor original = s.original.to(DType.F64).mul(s.weight).reshape(-1, dim);
                Tensor delta = s.unlearned.to(DType.F64).mul(s.weight).reshape(-1, dim).sub(original);
                sum = scope.keep(sum.add(delta.sum(0, false)));
                if (gram != null) {
                    gram = scope.keep(gram.add(delta.t().matmul(delta)));
                }
                squares += original.square().sum().item();
                tokens += s.weight.sum().item();
            }
        }
        if (tokens == 0) {
            throw new InputException("direction-ablation: the forget text has no tokens besides BOS");
        }
        double floor = settings.minShift() * Math.sqrt(squares / tokens);
        List<Tensor> rows = new ArrayList<>();
        Tensor mean = sum.div(tokens);
        double meanNorm = mean.norm().item();
        if (meanNorm > floor) {
            rows.add(mean.div(meanNorm));
        }
        if (gram != null && rows.size() < k) {
            rows.addAll(principal(gram.div(tokens), rows, k - rows.size(), floor));
        }
        return rows.isEmpty() ? null : Tensor.stack(rows, 0).to(dtype);
    }

    /**
     * The top {@code count} eigenvectors of the second-moment matrix {@code moment} with {@code earlier}
     * projected out, those whose root-mean-square component exceeds {@code floor}.
     */
    private static List<Tensor> principal(Tensor moment, List<Tensor> earlier, int count, double floor) {
        long dim = moment.size(0);
        Tensor projector = Tensor.eye(DType.F64, dim);
        for (Tensor d : earlier) {
            projector = projector.sub(d.outer(d));
        }
        Tensor[] usv = projector.matmul(moment).matmul(projector).svd();
        double[] eigenvalues = usv[1].toDoubles();
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < count && i < eigenvalues.length && Math.sqrt(eigenvalues[i]) > floor; i++) {
            out.add(usv[2].select(0, i));
        }
        return out;
    }
}
