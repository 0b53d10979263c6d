package io.electraconvert.tfreader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the checkpoints the tests read: third-party ones beside the repo, ours under testdata/. */
public final class Fixtures {
    private Fixtures() {}

    public static Path repoRoot() {
        String root = System.getProperty("electra.repoRoot");
        Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        if (!Files.isDirectory(path.resolve("testdata"))) {
            throw new IllegalStateException("cannot find the repository root (tried " + path + ")");
        }
        return path;
    }

    public static Path thirdParty(String name) {
        return repoRoot().resolveSibling("shared").resolve("fixtures/third-party").resolve(name);
    }

    public static Path testdataCheckpoint(String name) {
        return repoRoot().resolve("testdata/checkpoints").resolve(name);
    }
}
