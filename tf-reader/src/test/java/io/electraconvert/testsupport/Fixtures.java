package io.electraconvert.testsupport;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests' fixtures are, all inside the repository. The root is the nearest folder holding both the root
 * {@code pom.xml} and {@code testdata/}, searched upward from the working directory and, failing that, from where
 * this class was loaded: no system property and no particular working directory is needed, so the tests find their
 * fixtures whether Maven runs from the root or from a module, and in any copy of the repository.
 */
public final class Fixtures {
    private static final Path ROOT = locate();

    private Fixtures() {}

    public static Path repoRoot() {
        return ROOT;
    }

    /** A fixture checkpoint written by TensorFlow for this project: {@code testdata/checkpoints/<name>}. */
    public static Path checkpoint(String name) {
        return ROOT.resolve("testdata/checkpoints").resolve(name);
    }

    /** A vendored third-party checkpoint (path under {@code testdata/third-party/}, provenance in its README). */
    public static Path thirdParty(String path) {
        return ROOT.resolve("testdata/third-party").resolve(path);
    }

    /** A folder of transformers 4.57.6's own {@code tf_model.h5} files: {@code testdata/hf-tf-golden/<name>}. */
    public static Path hfTfGolden(String name) {
        return ROOT.resolve("testdata/hf-tf-golden").resolve(name);
    }

    /** The fixtures' vocabulary, {@code testdata/vocab.txt}. */
    public static Path vocab() {
        return ROOT.resolve("testdata/vocab.txt");
    }

    /** A test resource on the class path (a module's {@code src/test/resources}), as a file: {@code resource("/h5/x.py")}. */
    public static Path resource(String name) {
        URL url = Fixtures.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("no test resource " + name + " on the class path");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path locate() {
        Path fromWorkingDirectory = search(Path.of("").toAbsolutePath());
        if (fromWorkingDirectory != null) {
            return fromWorkingDirectory;
        }
        Path fromClasses = search(classLocation());
        if (fromClasses != null) {
            return fromClasses;
        }
        throw new IllegalStateException("no folder holding pom.xml and testdata/ above " + Path.of("").toAbsolutePath()
                + " or " + classLocation());
    }

    private static Path search(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("testdata"))) {
                return p;
            }
        }
        return null;
    }

    private static Path classLocation() {
        try {
            return Path.of(Fixtures.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
