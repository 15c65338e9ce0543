package dev.falcon.demo;

import dev.falcon.attack.AttackSettings;
import dev.falcon.attack.Attacks;
import dev.falcon.audit.AttackBattery;
import dev.falcon.audit.Audit;
import dev.falcon.audit.AuditInputs;
import dev.falcon.audit.AuditPage;
import dev.falcon.audit.AuditReport;
import dev.falcon.audit.AuditSettings;
import dev.falcon.audit.AuditThresholds;
import dev.falcon.audit.FileHashes;
import dev.falcon.audit.ModelAccess;
import dev.falcon.audit.ModelFindings;
import dev.falcon.data.McqDataset;
import dev.falcon.data.McqItem;
import dev.falcon.data.TextCorpus;
import dev.falcon.demo.world.FactWorld;
import dev.falcon.demo.world.WorldDomain;
import dev.falcon.io.AtomicFiles;
import dev.falcon.io.Json;
import dev.falcon.io.OutputFolder;
import dev.falcon.model.LlamaModel;
import dev.falcon.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The demo's audit: {@link Audit}, the code of {@code falcon audit}, on each unlearned model, the base model's
 * control run once and shared by all of them. Its inputs come from the world and are written as files, then
 * read back as {@code falcon audit} reads them, so that the command {@link #command} prints repeats the audit:
 * <ul>
 *   <li>forget questions: those about the forget entities the relearning attack never shows (all but a quarter
 *       of each forget domain's); facts of different fictional entities are independent, so accuracy that
 *       comes back there was still in the weights;</li>
 *   <li>forget text: the statements about that quarter, which relearning trains on, direction ablation measures
 *       its directions on, and membership inference takes as members;</li>
 *   <li>held-out text: the same statements with every value replaced by another (never trained on);</li>
 *   <li>retain questions and text: the retain domains' (unrelated fine-tuning trains on the text).</li>
 * </ul>
 */
final class DemoAudit {

    /** The fine-tuning attacks' learning rate: the base model's own training rate, which a model this small needs. */
    static final double FINETUNE_LR = 1e-3;
    /** Sequences per scoring forward pass, as {@link DomainScores} scores. */
    static final int BATCH = 32;

    static final String FORGET_MCQ = "forget_mcq.jsonl";
    static final String RETAIN_MCQ = "retain_mcq.jsonl";
    static final String FORGET_TEXT = "forget_text.txt";
    static final String HOLDOUT_TEXT = "holdout_text.txt";
    static final String RETAIN_TEXT = "retain_text.txt";

    private final AuditSettings settings;
    private final Audit audit;
    private final AuditInputs inputs;
    private final AttackBattery battery;
    private final Map<String, Path> files;
    private final ModelAccess original;
    private final ModelFindings control;

    private DemoAudit(AuditSettings settings, Audit audit, AuditInputs inputs, AttackBattery battery,
                      Map<String, Path> files, ModelAccess original, ModelFindings control) {
        this.settings = settings;
        this.audit = audit;
        this.inputs = inputs;
        this.battery = battery;
        this.files = files;
        this.original = original;
        this.control = control;
    }

    /**
     * Writes the inputs into {@code dir}, reads them back, and runs the battery on {@code base} (written as
     * {@code baseFolder}), the control every later audit shares.
     */
    static DemoAudit prepare(FactWorld world, Tokenizer tok, DemoSettings s, LlamaModel base, Path baseFolder,
                             Path dir, DemoListener listener) throws IOException {
        Map<String, Path> files = writeInputs(world, dir);
        files.put("original", baseFolder);
        AuditInputs inputs = new AuditInputs(McqDataset.read(files.get("forget_mcq")),
                McqDataset.read(files.get("retain_mcq")), TextCorpus.read(files.get("forget_text")),
                TextCorpus.read(files.get("holdout_text")), TextCorpus.read(files.get("retain_text")), Optional.empty());
        AuditSettings settings = settings(s);
        Audit audit = new Audit(settings, tok, Optional.empty(), listener.forAudit());
        AttackBattery battery = audit.plan(base.config(), inputs);
        ModelAccess original = ModelAccess.of(base);
        return new DemoAudit(settings, audit, inputs, battery, files, original,
                audit.control(battery, inputs, original));
    }

    /** Every attack, the demo's budgets for the expensive ones, cloze questions with BOS as the demo scores them. */
    static AuditSettings settings(DemoSettings s) {
        AttackSettings attacks = AttackSettings.defaults().withFineTuneLr(FINETUNE_LR).withSeed(s.seed());
        return new AuditSettings(s.form(), AuditThresholds.defaults(), attacks, Attacks.NAMES, s.auditBudgets(), true,
                BATCH);
    }

    /** Audits {@code unlearned}, written as {@code folder}, and writes audit.json and audit.html into {@code out}. */
    AuditReport run(LlamaModel unlearned, Path folder, Path out) throws IOException {
        Map<String, Path> hashed = new LinkedHashMap<>();
        hashed.put("model", folder);
        hashed.putAll(files);
        AuditReport report = audit.run(battery, inputs, ModelAccess.of(unlearned), original, control,
                FileHashes.of(hashed));
        OutputFolder.write(out, dir -> {
            Files.writeString(dir.resolve("audit.json"), Json.pretty(report.toJson()) + "\n");
            AuditPage.write(report, dir.resolve("audit.html"));
        });
        return report;
    }

    /** The {@code falcon audit} command line that repeats this audit of the model in {@code folder}. */
    String command(Path folder, Path out) {
        StringBuilder cmd = new StringBuilder("./falcon audit --model " + folder + " --original " + files.get("original"));
        for (String role : List.of("forget_mcq", "retain_mcq", "forget_text", "holdout_text", "retain_text")) {
            cmd.append(" --").append(role.replace('_', '-')).append(' ').append(files.get(role));
        }
        cmd.append(" --form ").append(settings.form().id()).append(" --add-bos --batch-size ").append(BATCH)
                .append(" --finetune-lr ").append(FINETUNE_LR).append(" --seed ")
                .append(settings.attacks().fineTune().seed());
        new TreeMap<>(settings.budgets()).forEach((name, budgets) -> cmd.append(" --budget ").append(name).append('=')
                .append(String.join(",", budgets)));
        return cmd.append(" --out ").append(out).toString();
    }

    /** The inputs as files in {@code dir}, by their falcon audit role. */
    private static Map<String, Path> writeInputs(FactWorld world, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> shown = new ArrayList<>();
        List<String> counterfactual = new ArrayList<>();
        List<McqItem> heldOut = new ArrayList<>();
        for (WorldDomain d : world.domains().stream().filter(WorldDomain::forget).toList()) {
            List<String> entities = world.entities(d.name());
            int n = shownEntities(entities.size());
            for (String e : entities.subList(0, n)) {
                shown.addAll(world.entityText(d.name(), e));
                counterfactual.addAll(world.counterfactualText(d.name(), e));
            }
            entities.subList(n, entities.size()).forEach(e -> heldOut.addAll(world.entityQuestions(d.name(), e)));
        }
        List<WorldDomain> retained = world.domains().stream().filter(d -> !d.forget()).toList();
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("forget_mcq", write(dir.resolve(FORGET_MCQ), FactWorld.mcqJsonLines(heldOut)));
        files.put("retain_mcq", write(dir.resolve(RETAIN_MCQ), FactWorld.mcqJsonLines(
                retained.stream().flatMap(d -> world.questions(d.name()).stream()).toList())));
        files.put("forget_text", write(dir.resolve(FORGET_TEXT), lines(shown)));
        files.put("holdout_text", write(dir.resolve(HOLDOUT_TEXT), lines(counterfactual)));
        files.put("retain_text", write(dir.resolve(RETAIN_TEXT), lines(
                retained.stream().flatMap(d -> world.domainText(d.name()).stream()).toList())));
        return files;
    }

    /** A quarter of the entities (at least one, and never all) are shown to the relearning attack. */
    static int shownEntities(int entities) {
        return Math.max(1, Math.min(entities / 4, entities - 1));
    }

    private static String lines(List<String> texts) {
        return String.join("\n", texts) + "\n";
    }

    private static Path write(Path file, String content) throws IOException {
        AtomicFiles.writeString(file, content);
        return file;
    }
}
