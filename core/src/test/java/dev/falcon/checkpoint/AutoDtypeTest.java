package dev.falcon.checkpoint;

import dev.falcon.engine.DType;
import dev.falcon.model.LlamaConfig;
import dev.falcon.model.RandomModel;
import dev.falcon.train.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AutoDtypeTest {

    @TempDir
    Path tmp;

    private DType autoFor(DType stored) throws IOException {
        LlamaConfig c = TinyModels.config();
        Path dir = Files.createDirectories(tmp.resolve(stored.name()));
        HfCheckpointWriter.write(RandomModel.create(c, 1, DType.F32), null, Set.of(), stored, Map.of(), dir);
        try (WeightSource source = Checkpoints.open(dir)) {
            return ModelLoader.autoDtype(source);
        }
    }

    @Test
    void bf16CheckpointsComputeInBf16AndAllOthersInF32() throws IOException {
        assertEquals(DType.BF16, autoFor(DType.BF16));
        assertEquals(DType.F32, autoFor(DType.F32));
        assertEquals(DType.F32, autoFor(DType.F16));
    }
}
