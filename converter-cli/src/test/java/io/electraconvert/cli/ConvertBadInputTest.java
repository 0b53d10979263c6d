package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input: one line on stderr naming the file and the problem, exit 1, nothing written. */
class ConvertBadInputTest {
    @TempDir
    Path tmp;

    private CliRun convert(Path checkpoint, String network, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("convert", checkpoint.toString(), "--model", network,
                "--out", out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertFailedCleanly(CliRun run, Path out, String... messageParts) throws Exception {
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), "exactly one line: " + run.err());
        assertTrue(lines.get(0).startsWith("electra-convert: "), lines.get(0));
        for (String part : messageParts) {
            assertTrue(lines.get(0).contains(part), "'" + part + "' in: " + lines.get(0));
        }
        assertFalse(run.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "output folder must not exist");
        try (var siblings = Files.list(out.getParent())) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".partial-")), "no staging folder left");
        }
    }

    @Test
    void missingDataShard() throws Exception {
        Path ckpt = CliRun.copyFixture("sharded", tmp);
        Files.delete(ckpt.resolve("model.ckpt-1500.data-00001-of-00002"));
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(ckpt, "discriminator", out), out, "model.ckpt-1500.data-00001-of-00002",
                "missing data shard 2 of 2");
    }

    @Test
    void truncatedIndex() throws Exception {
        Path ckpt = CliRun.copyFixture("small", tmp);
        Path index = ckpt.resolve("model.ckpt-1000.index");
        byte[] bytes = Files.readAllBytes(index);
        Files.write(index, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(ckpt, "discriminator", out), out, "model.ckpt-1000.index", "not a TensorFlow checkpoint index");
    }

    @Test
    void corruptIndexBlock() throws Exception {
        Path ckpt = CliRun.copyFixture("small", tmp);
        Path index = ckpt.resolve("model.ckpt-1000.index");
        byte[] bytes = Files.readAllBytes(index);
        bytes[100] ^= 0x5a;
        Files.write(index, bytes);
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(ckpt, "discriminator", out), out, "model.ckpt-1000.index", "checksum mismatch in data block");
    }

    @Test
    void tensorChecksumMismatchNamesTheTensor() throws Exception {
        Path ckpt = CliRun.copyFixture("released", tmp);
        Path data = ckpt.resolve("electra_small.data-00000-of-00001");
        try (var ch = java.nio.channels.FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // word embeddings sit somewhere in the file; flip one byte in the middle of the largest tensor's region
            var read = io.electraconvert.tfreader.TfCheckpoint.open(ckpt);
            var info = read.info("electra/embeddings/word_embeddings");
            read.close();
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, info.offset() + info.size() / 2);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            ch.write(b, info.offset() + info.size() / 2);
        }
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(ckpt, "discriminator", out), out, "electra_small.data-00000-of-00001",
                "checksum mismatch in tensor 'electra/embeddings/word_embeddings'");
    }

    @Test
    void notAnElectraCheckpoint() throws Exception {
        Path bert = Fixtures.thirdParty("keras-bert-tiny");
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(bert, "discriminator", out), out, "bert_model.ckpt.index",
                "not an ELECTRA checkpoint (pretraining or fine-tuned)");
    }

    @Test
    void missingCheckpoint() throws Exception {
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(tmp.resolve("nope/model.ckpt-1"), "discriminator", out), out, "nope/model.ckpt-1", "no such checkpoint");
    }

    @Test
    void contradictingHparamsNameBothValues() throws Exception {
        Path hparams = tmp.resolve("hparams.json");
        Files.writeString(hparams, "{\"hidden_size\": 64, \"num_attention_heads\": 2}");
        Path out = tmp.resolve("out");
        assertFailedCleanly(convert(CliRun.fixture("small"), "discriminator", out, "--hparams", hparams.toString()), out,
                "hparams.json", "hidden_size = 64", "hidden_size = 32");
    }

    @Test
    void anExistingFolderIsWrittenIntoAndItsModelFilesReplacedOnlyWithForce() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        CliRun first = convert(CliRun.fixture("small"), "discriminator", out, "--format", "safetensors,pytorch");
        assertEquals(ExitCodes.OK, first.exitCode(), first.err()); // a folder without model files: as save_pretrained

        CliRun refused = convert(CliRun.fixture("small"), "generator", out);
        assertEquals(ExitCodes.BAD_INPUT, refused.exitCode());
        assertEquals("electra-convert: " + out + ": already holds model files (config.json, model.safetensors, "
                + "pytorch_model.bin); pass --force to replace them (other files in the folder are kept)\n", refused.err());
        assertTrue(Files.readString(out.resolve("config.json")).contains("ElectraForPreTraining"));

        CliRun forced = CliRun.of("convert", CliRun.fixture("small").toString(), "--model", "generator", "--out",
                out.toString(), "--force"); // not --quiet: the summary names what was replaced
        assertEquals(ExitCodes.OK, forced.exitCode(), forced.err());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertTrue(Files.readString(out.resolve("config.json")).contains("ElectraForMaskedLM"));
        // the stale pytorch_model.bin of the discriminator is a file a conversion owns: removed, not left to mislead
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("config.json", "keep.txt", "model.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(forced.err().contains("replaced the previous model's config.json, model.safetensors, pytorch_model.bin"),
                forced.err());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no working folder left beside the output");
        }
    }

    @Test
    void failedForcedConversionLeavesExistingOutputUntouched() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        Path ckpt = CliRun.copyFixture("released", tmp);
        Files.delete(ckpt.resolve("electra_small.data-00000-of-00001"));
        CliRun run = convert(ckpt, "discriminator", out, "--force");
        assertEquals(ExitCodes.BAD_INPUT, run.exitCode());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitCodes.USAGE, CliRun.of("convert", "x").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("convert", "x", "--model", "teacher", "--out", "y").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.of("frobnicate").exitCode());
    }

    @Test
    void outputFolderGetsDefaultPermissionsNotTempDirectoryOnes() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(ExitCodes.OK, convert(CliRun.fixture("small"), "discriminator", out).exitCode());
        Path sibling = tmp.resolve("plain");
        Files.createDirectory(sibling); // what the umask gives a folder here
        assertEquals(Files.getPosixFilePermissions(sibling), Files.getPosixFilePermissions(out));
    }
}
