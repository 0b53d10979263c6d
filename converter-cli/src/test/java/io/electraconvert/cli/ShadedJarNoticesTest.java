package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** electra-convert.jar copies its dependencies in, so it must carry their notices: THIRD-PARTY-NOTICES.txt names each. */
class ShadedJarNoticesTest {
    @Test
    void everyBundledLibraryIsInTheNotices() throws Exception {
        String notices = Files.readString(Fixtures.repoRoot().resolve("converter-cli/THIRD-PARTY-NOTICES.txt"));
        List<RuntimeDependencies.Dependency> bundled = RuntimeDependencies.read().all().stream().filter(d -> !d.ours()).toList();
        assertTrue(bundled.size() >= 10, "the dependency list was read: " + bundled);
        assertEquals(List.of(), bundled.stream().map(RuntimeDependencies.Dependency::key).filter(key -> !notices.contains(key)).toList(),
                "bundled in electra-convert.jar but not in converter-cli/THIRD-PARTY-NOTICES.txt");
    }
}
