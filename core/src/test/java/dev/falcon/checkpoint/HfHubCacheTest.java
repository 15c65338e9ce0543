package dev.falcon.checkpoint;

import dev.falcon.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A cache laid out as huggingface_hub writes it, built by hand. */
class HfHubCacheTest {

    private static final String MAIN = "0123456789abcdef0123456789abcdef01234567";
    private static final String TAGGED = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path cache;

    private Path repo() throws IOException {
        Path repo = cache.resolve("models--meta-llama--Llama-3.2-1B");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), MAIN + "\n");
        Files.writeString(repo.resolve("refs/v1.0"), TAGGED);
        Files.createDirectories(repo.resolve("snapshots").resolve(MAIN));
        Files.createDirectories(repo.resolve("snapshots").resolve(TAGGED));
        return repo;
    }

    @Test
    void aRepoIdResolvesToTheSnapshotItsRefNames() throws IOException {
        Path snapshots = repo().resolve("snapshots");
        assertEquals(snapshots.resolve(MAIN), HfHubCache.resolve("meta-llama/Llama-3.2-1B", cache));
        assertEquals(snapshots.resolve(TAGGED), HfHubCache.resolve("meta-llama/Llama-3.2-1B@v1.0", cache));
        assertEquals(snapshots.resolve(TAGGED), HfHubCache.resolve("meta-llama/Llama-3.2-1B@" + TAGGED, cache));
    }

    @Test
    void whatIsNotCachedIsAnInputErrorNamingWhatIsMissing() throws IOException {
        Path repo = repo();
        InputException absent = assertThrows(InputException.class, () -> HfHubCache.resolve("org/absent", cache));
        assertTrue(absent.getMessage().startsWith(cache.resolve("models--org--absent") + ": "), absent.getMessage());
        assertTrue(absent.getMessage().contains("not in the Hugging Face cache"), absent.getMessage());
        InputException branch = assertThrows(InputException.class,
                () -> HfHubCache.resolve("meta-llama/Llama-3.2-1B@dev", cache));
        assertTrue(branch.getMessage().startsWith(repo.resolve("refs/dev") + ": "), branch.getMessage());
        assertThrows(InputException.class, () -> HfHubCache.resolve("meta-llama/Llama-3.2-1B@../../x", cache));
        Files.writeString(repo.resolve("refs/main"), "not a hash");
        assertThrows(InputException.class, () -> HfHubCache.resolve("meta-llama/Llama-3.2-1B", cache));
    }

    @Test
    void theCacheFolderFollowsHuggingFaceHubsVariables() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/c"), HfHubCache.cacheDir(Map.of("HF_HUB_CACHE", "/c", "HF_HOME", "/h"), home));
        assertEquals(Path.of("/h/hub"), HfHubCache.cacheDir(Map.of("HF_HOME", "/h"), home));
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HfHubCache.cacheDir(Map.of(), home));
    }

    @Test
    void onlyOrgSlashNameLooksLikeARepoId() {
        assertTrue(HfHubCache.isRepoId("Qwen/Qwen2.5-0.5B"));
        assertTrue(HfHubCache.isRepoId("mistralai/Mistral-7B-v0.1@main"));
        assertFalse(HfHubCache.isRepoId("stories260K.bin"));
        assertFalse(HfHubCache.isRepoId("../models/x"));
        assertFalse(HfHubCache.isRepoId("/abs/path"));
        assertFalse(HfHubCache.isRepoId("a/b/c"));
    }
}
