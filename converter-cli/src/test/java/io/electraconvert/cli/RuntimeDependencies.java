package io.electraconvert.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.electraconvert.testsupport.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * converter-cli's runtime dependencies as Maven resolved them (target/runtime-dependencies.txt, written by the
 * dependency plugin before the tests): what electra-convert.jar bundles and what a library user's module path holds.
 */
record RuntimeDependencies(List<Dependency> all) {
    /** {@code groupId:artifactId} and the file Maven resolved it to. */
    record Dependency(String groupId, String artifactId, Path file) {
        String key() {
            return groupId + ":" + artifactId;
        }

        boolean ours() {
            return groupId.equals("io.electraconvert");
        }
    }

    static RuntimeDependencies read() throws IOException {
        Path list = Fixtures.repoRoot().resolve("converter-cli/target/runtime-dependencies.txt");
        assumeTrue(Files.isRegularFile(list), list + " is written by mvn (generate-test-resources)");
        // "   group:artifact:jar:version:scope:/path/to/file.jar -- module name [auto]"
        return new RuntimeDependencies(Files.readAllLines(list).stream().map(String::strip)
                .filter(line -> line.contains(":/"))
                .map(line -> {
                    String coordinates = line.split(" -- ", 2)[0];
                    String[] parts = coordinates.split(":");
                    return new Dependency(parts[0], parts[1], Path.of(coordinates.substring(coordinates.indexOf(":/") + 1)));
                }).toList());
    }
}
