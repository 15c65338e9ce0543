package dev.falcon.checkpoint;

import dev.falcon.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a Hugging Face repo id ({@code meta-llama/Llama-3.2-1B}, optionally {@code @revision}) in the local
 * Hugging Face cache, the way huggingface_hub lays it out: {@code <cache>/models--org--name/refs/<revision>} holds
 * a commit hash, and {@code snapshots/<hash>/} the files. Nothing is downloaded: falcon runs offline.
 */
public final class HfHubCache {

    /** org/name with the characters the Hub allows, then an optional @revision (branch, tag or commit). */
    private static final Pattern REPO_ID = Pattern.compile("([\\w.-]+)/([\\w.-]+)(?:@([\\w./-]+))?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private HfHubCache() {
    }

    /** True when {@code text} has the form of a repo id (it may still name a local path). */
    public static boolean isRepoId(String text) {
        return REPO_ID.matcher(text).matches() && !text.startsWith(".");
    }

    /** The cache folder: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
    static Path cacheDir(Map<String, String> env, Path home) {
        if (env.get("HF_HUB_CACHE") != null) {
            return Path.of(env.get("HF_HUB_CACHE"));
        }
        if (env.get("HF_HOME") != null) {
            return Path.of(env.get("HF_HOME")).resolve("hub");
        }
        return home.resolve(".cache").resolve("huggingface").resolve("hub");
    }

    /** The snapshot folder of {@code repoId} in this machine's cache. */
    public static Path resolve(String repoId) {
        return resolve(repoId, cacheDir(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    /** The snapshot folder of {@code repoId} in {@code cache}, or an InputException saying what is missing. */
    static Path resolve(String repoId, Path cache) {
        Matcher m = REPO_ID.matcher(repoId);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a repo id: " + repoId);
        }
        String revision = m.group(3) == null ? "main" : m.group(3);
        Path repo = cache.resolve("models--" + m.group(1) + "--" + m.group(2));
        if (!Files.isDirectory(repo)) {
            throw new InputException(repo, "model '" + m.group(1) + "/" + m.group(2) + "' is not in the Hugging "
                    + "Face cache (falcon does not download; fetch it first, e.g. `huggingface-cli download "
                    + m.group(1) + "/" + m.group(2) + "`)");
        }
        Path snapshot = repo.resolve("snapshots").resolve(commit(repo, revision));
        if (!Files.isDirectory(snapshot)) {
            throw new InputException(snapshot, "revision '" + revision + "' of '" + m.group(1) + "/" + m.group(2)
                    + "' has no snapshot in the cache");
        }
        return snapshot;
    }

    /** A commit hash names itself; a branch or tag is looked up in refs/. */
    private static String commit(Path repo, String revision) {
        if (COMMIT.matcher(revision).matches()) {
            return revision;
        }
        Path ref = repo.resolve("refs").resolve(revision);
        if (!ref.normalize().startsWith(repo.resolve("refs")) || !Files.isRegularFile(ref)) {
            throw new InputException(ref, "revision '" + revision + "' is not in the cache");
        }
        try {
            String hash = Files.readString(ref).trim();
            if (!COMMIT.matcher(hash).matches()) {
                throw new InputException(ref, "expected a 40-character commit hash, found '" + hash + "'");
            }
            return hash;
        } catch (IOException e) {
            throw new InputException(ref, "cannot read: " + e.getMessage(), e);
        }
    }
}
