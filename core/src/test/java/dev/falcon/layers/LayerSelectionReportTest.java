package dev.falcon.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerSelectionReportTest {

    private static final MiEstimate LAYER_3 = new MiEstimate(0.5, 2.0, 3.0, 4.5, 6, 4, 9);
    private static final MiEstimate LAYER_5 = new MiEstimate(-1.25, 1.0, 1.5, 3.75, 5, 5, 8);

    /** Layer 3 scores 0.5, layer 4 failed, layer 5 scores -1.25 and is selected. */
    private static final LayerSelectionResult RESULT = new LayerSelectionResult("official-pca-kde", 0,
            List.of(new LayerScore(3, List.of(new MiTerm("I(F1;R)", 1, LAYER_3)), 0.5, 1.0, null),
                    LayerScore.failed(4, "I(F1;R): H(X): singular covariance"),
                    new LayerScore(5, List.of(new MiTerm("I(F1;R)", 1, LAYER_5)), -1.25, 0.0, null)),
            OptionalInt.of(5));

    @Test
    void jsonHasTheDocumentedShape(@TempDir Path dir) throws IOException {
        LayerSelectionReport.write(RESULT, dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("layers.json").toFile());
        assertEquals(5, root.get("selected").asInt());
        assertEquals("official-pca-kde", root.get("estimator").asText());
        JsonNode first = root.get("layers").get(0);
        assertEquals(3, first.get("layer").asInt());
        assertEquals(0.5, first.get("mi").asDouble());
        assertEquals(2.0, first.get("h_forget").asDouble());
        assertEquals(3.0, first.get("h_retain").asDouble());
        assertEquals(4.5, first.get("h_joint").asDouble());
        assertEquals(1.0, first.get("normalized").asDouble());
        assertEquals(9, first.get("pca_components_joint").asInt());
        JsonNode failed = root.get("layers").get(1);
        assertTrue(failed.get("mi").isNull());
        assertEquals("I(F1;R): H(X): singular covariance", failed.get("error").asText());
        assertEquals(-1.25, root.get("layers").get(2).get("mi").asDouble());
    }

    @Test
    void chartIsAPngAndNoTemporaryFilesRemain(@TempDir Path dir) throws IOException {
        LayerSelectionReport.write(RESULT, dir);
        BufferedImage image = ImageIO.read(dir.resolve("layers.png").toFile());
        assertEquals(800, image.getWidth());
        assertEquals(450, image.getHeight());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("layers.json", "layers.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void rewritingReplacesTheReport(@TempDir Path dir) throws IOException {
        LayerSelectionReport.write(RESULT, dir);
        LayerSelectionResult none = new LayerSelectionResult("ksg-k3", 0.5,
                List.of(LayerScore.failed(4, "too few samples")), OptionalInt.empty());
        LayerSelectionReport.write(none, dir);
        JsonNode root = new ObjectMapper().readTree(dir.resolve("layers.json").toFile());
        assertTrue(root.get("selected").isNull());
        assertEquals(1, root.get("layers").size());
        assertEquals(0.5, root.get("eta").asDouble());
    }
}
