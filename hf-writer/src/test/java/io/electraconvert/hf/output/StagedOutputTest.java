package io.electraconvert.hf.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an output reaches its folder: new folders whole, existing ones file by file, leftovers of killed runs. */
class StagedOutputTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void write(Path folder, String... files) throws IOException {
        for (String f : files) {
            Files.writeString(folder.resolve(f), "new " + f);
        }
    }

    @Test
    void aNewFolderAppearsWholeAndItsMissingParentsOnlyOnCommit() throws IOException {
        Path target = tmp.resolve("a/b/c/out");
        try (StagedOutput out = StagedOutput.create(target, false, List.of())) {
            write(out.dir(), "config.json", "model.safetensors");
            assertFalse(Files.exists(tmp.resolve("a")), "parents wait for the commit");
            assertEquals(1, names(tmp).size(), "only the working folder, in the nearest existing folder");
            assertEquals(List.of(), out.commit());
        }
        assertEquals(List.of("config.json", "model.safetensors"), names(target));
        assertEquals(List.of("a"), names(tmp));
    }

    @Test
    void anAbandonedOutputLeavesNothingNotEvenParents() throws IOException {
        Path target = tmp.resolve("a/b/out");
        try (StagedOutput out = StagedOutput.create(target, false, List.of())) {
            write(out.dir(), "config.json");
        }
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void replacingKeepsForeignFilesAndRemovesEveryStaleModelFile() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("out"));
        write(target, "config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                "model.safetensors.index.json", "pytorch_model.bin", "tokenizer.json", "vocab.txt", "README.md",
                "model-notes.safetensors.txt", "training_args.bin");
        try (StagedOutput out = StagedOutput.create(target, true, List.of())) {
            write(out.dir(), "config.json", "model.safetensors");
            assertEquals(List.of("config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors",
                    "model.safetensors.index.json", "pytorch_model.bin"), out.commit());
        }
        // no tokenizer this time: the old tokenizer files stay, as save_pretrained leaves a tokenizer alone
        assertEquals(List.of("README.md", "config.json", "model-notes.safetensors.txt", "model.safetensors",
                "tokenizer.json", "training_args.bin", "vocab.txt"), names(target));
        assertEquals("new config.json", Files.readString(target.resolve("config.json")));
        assertEquals(List.of("out"), names(tmp));
    }

    @Test
    void withoutOverwriteAFolderWithModelFilesIsRefusedUntouched() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("out"));
        write(target, "config.json", "notes.txt");
        OutputFolderException e = assertThrows(OutputFolderException.class, () -> StagedOutput.create(target, false, List.of()));
        assertEquals(target + ": output folder already holds model files (config.json); the request does not allow "
                + "replacing them", e.getMessage());
        assertEquals(List.of("config.json"), e.existingModelFiles());
        assertEquals(List.of("config.json", "notes.txt"), names(target));
        assertEquals(List.of("out"), names(tmp));
    }

    @Test
    void theOutputIsKeptApartFromTheCheckpoint() throws IOException {
        Path ckpt = Files.createDirectories(tmp.resolve("runs/ckpt"));
        Path index = Files.writeString(ckpt.resolve("model.ckpt-1.index"), "x");
        List<Path> inputs = List.of(index);
        String[][] cases = {
                {"runs/ckpt", "the output folder holds the checkpoint file " + index.toRealPath()},
                {"runs", "the output folder holds the checkpoint file " + index.toRealPath()},
                {"runs/ckpt/hf", "the output folder lies inside the checkpoint's folder " + ckpt.toRealPath()},
                {"runs/ckpt/model.ckpt-1.index", "the output folder holds the checkpoint file " + index.toRealPath()},
        };
        for (String[] c : cases) {
            Path target = tmp.resolve(c[0]);
            OutputFolderException e = assertThrows(OutputFolderException.class, () -> StagedOutput.create(target, true, inputs));
            assertEquals(target + ": " + c[1] + (c[1].contains("inside") ? "; choose a folder outside it"
                    : "; choose a folder that does not contain the checkpoint"), e.getMessage());
        }
        Path link = Files.createSymbolicLink(tmp.resolve("link"), ckpt);
        assertThrows(OutputFolderException.class, () -> StagedOutput.create(link, true, inputs), "a link to it too");
        assertThrows(OutputFolderException.class, () -> StagedOutput.create(Path.of("/"), true, List.of()));
        assertEquals(List.of("x"), List.of(Files.readString(index)));
    }

    @Test
    void aTargetNameOfTheMaximumLengthWorks() throws IOException {
        Path target = tmp.resolve("m".repeat(255));
        try (StagedOutput out = StagedOutput.create(target, false, List.of())) {
            write(out.dir(), "config.json");
            out.commit();
        }
        assertEquals(List.of("config.json"), names(target));
    }

    @Test
    void workingFoldersOfDeadProcessesAreRemovedByTheNextRunIntoTheSameTarget() throws Exception {
        Path target = tmp.resolve("sub/out");
        Path other = tmp.resolve("other");
        String dead = deadProcessToken();
        String live = StagingOwner.current(target).token();
        Path killed = Files.createDirectory(tmp.resolve(".electra-convert-staging-" + StagedOutput.hash(target) + "-" + dead + "-x1"));
        write(killed, "half-written.bin");
        Path running = Files.createDirectory(tmp.resolve(".electra-convert-staging-" + StagedOutput.hash(target) + "-" + live + "-x2"));
        Path otherTarget = Files.createDirectory(tmp.resolve(".electra-convert-staging-" + StagedOutput.hash(other) + "-" + dead + "-x3"));
        Path foreign = Files.createDirectory(tmp.resolve(".electra-convert-staging-mine"));
        try (StagedOutput out = StagedOutput.create(target, false, List.of())) {
            assertFalse(Files.exists(killed));
            assertTrue(Files.exists(running), "a live conversion's folder stays");
            assertTrue(Files.exists(otherTarget), "another output's leftovers wait for a run into that output");
            assertTrue(Files.exists(foreign), "a name that is not ours stays");
        }
    }

    @Test
    void aReplacementKilledHalfwayIsFinishedByTheNextRun() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("out"));
        write(target, "config.json", "pytorch_model.bin", "notes.txt");
        // what a conversion killed after moving the old config.json aside leaves: the commit folder with its
        // journal, the new model.safetensors still in it, config.json already moved in
        Path commit = Files.createDirectory(tmp.resolve(".electra-convert-commit-" + StagedOutput.hash(target)));
        new StagingOwner(target, deadPid(), 0).writeInto(commit);
        Files.writeString(commit.resolve("new-files.txt"), "config.json\nmodel.safetensors\n");
        write(Files.createDirectory(commit.resolve("model")), "model.safetensors");
        write(Files.createDirectory(commit.resolve("replaced")), "config.json");
        try (StagedOutput out = StagedOutput.create(target, false, List.of())) {
            fail("the finished replacement holds model files, so a conversion without overwrite is refused");
        } catch (OutputFolderException expected) {
            assertEquals(List.of("config.json", "model.safetensors"), expected.existingModelFiles());
        }
        assertEquals(List.of("config.json", "model.safetensors", "notes.txt"), names(target));
        assertEquals("new model.safetensors", Files.readString(target.resolve("model.safetensors")));
        assertEquals(List.of("out"), names(tmp));
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.pid();
    }

    private static String deadProcessToken() throws Exception {
        return deadPid() + "-" + Long.toString(1, 36);
    }
}
