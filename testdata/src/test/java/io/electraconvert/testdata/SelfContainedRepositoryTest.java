package io.electraconvert.testdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A fresh clone must pass its tests on its own: no committed file (test, script, doc, fixture) may point outside
 * the repository, at the development machine's shared folder beside it, or at a fixed path of one machine.
 */
class SelfContainedRepositoryTest {
    /**
     * The shared folder beside the repository ({@code ..} then {@code /shared}), or an absolute path under
     * {@code /work} or {@code /tmp}. This file spells them so that it does not match itself.
     */
    static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared\\b|(?<![\\w.~$-])/(?:work|tmp)(?=/)");

    @Test
    void noCommittedFileReferencesAPathOutsideTheRepository() throws IOException, InterruptedException {
        Path root = Fixtures.repoRoot();
        List<Path> files = committedFiles(root);
        assertTrue(files.size() > 100, "found only " + files.size() + " files under " + root);
        List<String> found = new ArrayList<>();
        for (Path file : files) {
            // bytes as Latin-1: binary fixtures are searched too, a path baked into one is as machine-bound
            String text = new String(Files.readAllBytes(root.resolve(file)), StandardCharsets.ISO_8859_1);
            Matcher m = OUTSIDE.matcher(text);
            while (m.find()) {
                int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
                int end = text.indexOf('\n', m.start());
                found.add(file + ":" + line + ": " + text.substring(m.start(), Math.min(end < 0 ? text.length() : end, m.start() + 60)));
            }
        }
        assertEquals(List.of(), found, "committed files referring to paths outside the repository");
    }

    @Test
    void thePatternFindsWhatItIsFor() {
        // '|' is removed before matching, so that these samples do not make this file match
        for (String bad : List.of("..|/shared/fixtures/x", "see /wo|rk/shared/notes", "\"/tm|p/tfvenv/bin/python\"", "(/wo|rk/venv)")) {
            assertTrue(OUTSIDE.matcher(bad.replace("|", "")).find(), bad);
        }
        for (String fine : List.of("..|/sharedlib", "$TMPDIR/x", "a/wo|rk/b", "~/wo|rk/x", "/workspace", "src/tmp/x")) {
            assertTrue(!OUTSIDE.matcher(fine.replace("|", "")).find(), fine);
        }
    }

    /** {@code git ls-files} in a checkout; in an exported tree (no .git) every file but build output. */
    private static List<Path> committedFiles(Path root) throws IOException, InterruptedException {
        if (Files.exists(root.resolve(".git"))) {
            Process git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "-z").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, git.waitFor(), out);
            return Stream.of(out.split("\0")).filter(s -> !s.isEmpty()).map(Path::of)
                    .filter(p -> Files.isRegularFile(root.resolve(p))).toList();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(root::relativize)
                    .filter(p -> Stream.iterate(p, q -> q != null, Path::getParent)
                            .noneMatch(q -> q.getFileName().toString().equals("target")))
                    .toList();
        }
    }
}
