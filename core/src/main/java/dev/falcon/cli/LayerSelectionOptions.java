package dev.falcon.cli;

import dev.falcon.InputException;
import dev.falcon.data.Document;
import dev.falcon.tokenizer.Tokenizer;
import dev.falcon.layers.KsgEstimator;
import dev.falcon.layers.LastTokenActivations;
import dev.falcon.layers.LayerActivations;
import dev.falcon.layers.LayerScore;
import dev.falcon.layers.LayerSelection;
import dev.falcon.layers.LayerSelectionReport;
import dev.falcon.layers.LayerSelectionResult;
import dev.falcon.layers.MutualInformationEstimator;
import dev.falcon.layers.OfficialKdeEstimator;
import dev.falcon.model.LlamaModel;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Options and steps of MI layer selection, shared by `layers` and `unlearn --layer auto`. */
final class LayerSelectionOptions {

    @Option(names = "--samples", defaultValue = "100", description = "Samples per set (default 100).")
    int samples;

    @Option(names = "--estimator", defaultValue = "official",
            description = "official (PCA + Gaussian KDE, as the paper's script) or ksg (k-nearest neighbours).")
    String estimator;

    @Option(names = "--eta", defaultValue = "0", description = "Weight of forget-forget MI terms (default 0).")
    double eta;

    LayerSelectionResult select(LlamaModel model, Tokenizer tok, List<List<Document>> forget, List<Document> retain) {
        Map<Integer, LayerActivations> layers = LastTokenActivations.byLayer(model, tok, forget, retain, samples,
                model.config().maxPositionEmbeddings());
        return new LayerSelection(estimator(), eta).selectLayers(layers);
    }

    private MutualInformationEstimator estimator() {
        return switch (estimator) {
            case "official" -> new OfficialKdeEstimator();
            case "ksg" -> new KsgEstimator();
            default -> throw new InputException("--estimator must be official or ksg, got '" + estimator + "'");
        };
    }

    /** layers.json and layers.png in dir, and a table on stdout. */
    void writeReport(LayerSelectionResult result, Path dir) throws IOException {
        LayerSelectionReport.write(result, dir);
        System.out.printf("%-6s %12s %12s%n", "layer", "MI", "normalized");
        for (LayerScore s : result.layers()) {
            System.out.printf("%-6d %12s %12s%n", s.layer(), s.isFailed() ? "failed" : String.format("%.4f", s.mi()),
                    s.isFailed() ? s.failure() : String.format("%.3f", s.normalized()));
        }
        int selected = selectedLayer(result);
        System.out.println("selected layer: " + selected);
    }

    static int selectedLayer(LayerSelectionResult result) {
        return result.selected().orElseThrow(() -> new InputException(
                "layer selection failed on every layer (see layers.json); pass --layer N instead"));
    }
}
