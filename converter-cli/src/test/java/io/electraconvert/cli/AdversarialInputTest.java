package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolkit's contract under hostile input, one case per class of input: every bad input ends in exactly one
 * stderr line naming the file (or the option) and the problem, the right exit code, no stack trace, no hang,
 * nothing left behind, an existing output unchanged, and a bounded heap. Each case runs the CLI in its own JVM
 * with {@value #HEAP} so that running out of memory is a failure of the case, not of the suite.
 */
class AdversarialInputTest {
    private static final String HEAP = "-Xmx96m";
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    static Path shared;
    /** A converted discriminator (every format, tokenizer) that cases copy and damage. */
    static Path converted;

    @BeforeAll
    static void convertOnce() {
        converted = ConvertedFolders.convert("small", "discriminator", shared.resolve("converted"),
                "--format", "safetensors,pytorch,tf");
    }

    /** What a case prepares in its own folder: the CLI arguments, and what the run must produce. */
    private interface Setup {
        Expect prepare(Path dir) throws Exception;
    }

    /**
     * @param args     the CLI arguments
     * @param exitCode the exit code
     * @param mentions text the single stderr line must contain (a file path or an option), then the problem
     * @param untouched a folder whose content must be the same afterwards (an existing output, a checkpoint)
     */
    private record Expect(List<String> args, int exitCode, List<String> mentions, Path untouched) {
        static Expect of(int exitCode, List<String> mentions, String... args) {
            return new Expect(List.of(args), exitCode, mentions, null);
        }

        Expect keeping(Path folder) {
            return new Expect(args, exitCode, mentions, folder);
        }
    }

    private record Case(String name, Setup setup) {}

    private static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // checkpoint index and data
        c.add(new Case("index footer handle whose offset + size wraps", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Path index = ckpt.resolve("electra_small.index");
            patchIndexHandle(index, Long.MAX_VALUE, Long.MAX_VALUE);
            return convert(1, List.of(index.toString(), "lies outside the file"), ckpt, dir.resolve("out"));
        }));
        c.add(new Case("index of 3 GiB (sparse)", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Path index = ckpt.resolve("electra_small.index");
            sparse(index, 3L << 30);
            return convert(1, List.of(index.toString(), "index file is 3221225472 bytes"), ckpt, dir.resolve("out"));
        }));
        c.add(new Case("data shard that is a FIFO", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Path data = fifo(ckpt.resolve("electra_small.data-00000-of-00001"));
            return convert(1, List.of(data.toString(), "not a regular file"), ckpt, dir.resolve("out"));
        }));
        // checkpoint state file
        c.add(new Case("state file naming \"\" (would read <dir>.index beside the folder)", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Files.copy(ckpt.resolve("electra_small.index"), dir.resolve("released.index"));
            Files.copy(ckpt.resolve("electra_small.data-00000-of-00001"), dir.resolve("released.data-00000-of-00001"));
            Files.writeString(ckpt.resolve("checkpoint"), "model_checkpoint_path: \"\"\n");
            return convert(1, List.of(ckpt.resolve("checkpoint").toString(), "names no checkpoint file"), ckpt, dir.resolve("out"));
        }));
        c.add(new Case("state file naming a 2,900-character gs:// path (valid)", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Files.writeString(ckpt.resolve("checkpoint"), "model_checkpoint_path: \"gs://b/" + "d/".repeat(1440)
                    + "electra_small\"\n");
            return convert(0, List.of(), ckpt, dir.resolve("out"));
        }));
        c.add(new Case("state file of 3 GiB (sparse)", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            sparse(ckpt.resolve("checkpoint"), 3L << 30);
            return convert(1, List.of(ckpt.resolve("checkpoint").toString(), "3221225472 bytes"), ckpt, dir.resolve("out"));
        }));
        c.add(new Case("state file that is a FIFO", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Files.delete(ckpt.resolve("checkpoint"));
            fifo(ckpt.resolve("checkpoint"));
            return convert(1, List.of(ckpt.resolve("checkpoint").toString(), "not a regular file"), ckpt, dir.resolve("out"));
        }));
        // hparams, config.json
        c.add(new Case("--hparams /dev/zero", dir ->
                convert(1, List.of("/dev/zero", "not a regular file"), CliRun.fixture("small"), dir.resolve("out"),
                        "--hparams", "/dev/zero")));
        c.add(new Case("--hparams that is a FIFO", dir -> {
            Path hparams = fifo(dir.resolve("hparams.json"));
            return convert(1, List.of(hparams.toString(), "not a regular file"), CliRun.fixture("small"), dir.resolve("out"),
                    "--hparams", hparams.toString());
        }));
        c.add(new Case("--hparams override with a string where a number belongs", dir -> {
            Path hparams = Files.writeString(dir.resolve("hparams.json"),
                    "{\"model_size\": \"base\", \"model_hparam_overrides\": {\"hidden_size\": \"32\"}}");
            return convert(1, List.of(hparams.toString(), "hidden_size must be a positive integer, got \"32\""),
                    CliRun.fixture("small"), dir.resolve("out"), "--hparams", hparams.toString());
        }));
        c.add(new Case("--hparams with hidden_act \"banana\"", dir -> {
            Path hparams = Files.writeString(dir.resolve("hparams.json"), "{\"hidden_size\": 32, \"hidden_act\": \"banana\"}");
            return convert(1, List.of(hparams.toString(), "hidden_act must be one of"), CliRun.fixture("small"),
                    dir.resolve("out"), "--hparams", hparams.toString());
        }));
        c.add(new Case("config.json with num_hidden_layers 2147483647 (inspect)", dir -> {
            Path folder = copyConverted(dir);
            ConvertedFolders.editConfig(folder, n -> n.put("num_hidden_layers", Integer.MAX_VALUE));
            return Expect.of(1, List.of(folder.toString(), "num_hidden_layers 2147483647"), "inspect", folder.toString());
        }));
        // HF weight files
        c.add(new Case("truncated pytorch_model.bin and garbage tf_model.h5 beside a good model.safetensors (inspect)", dir -> {
            Path folder = copyConverted(dir);
            truncate(folder.resolve("pytorch_model.bin"), 1000);
            Files.writeString(folder.resolve("tf_model.h5"), "not hdf5");
            return Expect.of(1, List.of(folder.resolve("pytorch_model.bin").toString(), "(and 1 more)"), "inspect",
                    folder.toString());
        }));
        c.add(new Case("model.safetensors that is a FIFO (verify)", dir -> {
            Path folder = copyConverted(dir);
            Path weights = fifo(folder.resolve("model.safetensors"));
            return Expect.of(1, List.of(weights.toString(), "not a regular file"), "verify", CliRun.fixture("small").toString(),
                    folder.toString(), "--model", "discriminator", "--format", "safetensors");
        }));
        c.add(new Case("model.safetensors with junk after its header JSON (inspect)", dir -> {
            Path folder = copyConverted(dir);
            Path weights = folder.resolve("model.safetensors");
            byte[] bytes = Files.readAllBytes(weights);
            long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            bytes[(int) (8 + headerLength - 1)] = 'x'; // the last byte of the space padding
            Files.write(weights, bytes);
            return Expect.of(1, List.of(weights.toString()), "inspect", folder.toString());
        }));
        c.add(new Case("model.safetensors.index.json that is a FIFO (inspect)", dir -> {
            Path folder = copyConverted(dir);
            Files.delete(folder.resolve("model.safetensors"));
            Path index = fifo(folder.resolve("model.safetensors.index.json"));
            return Expect.of(1, List.of(index.toString(), "not a regular file"), "inspect", folder.toString());
        }));
        // vocabulary, inputs, text
        c.add(new Case("--vocab /dev/zero", dir ->
                convert(1, List.of("/dev/zero", "not a regular file"), CliRun.fixture("small"), dir.resolve("out"),
                        "--vocab", "/dev/zero")));
        c.add(new Case("--vocab that is a FIFO", dir -> {
            Path vocab = fifo(dir.resolve("vocab.txt"));
            return convert(1, List.of(vocab.toString(), "not a regular file"), CliRun.fixture("small"), dir.resolve("out"),
                    "--vocab", vocab.toString());
        }));
        c.add(new Case("forward --inputs /dev/zero", dir ->
                Expect.of(1, List.of("/dev/zero", "not a regular file"), "forward", converted.toString(), "--inputs", "/dev/zero")));
        c.add(new Case("forward --inputs that is a FIFO", dir -> {
            Path inputs = fifo(dir.resolve("inputs.json"));
            return Expect.of(1, List.of(inputs.toString(), "not a regular file"), "forward", converted.toString(),
                    "--inputs", inputs.toString());
        }));
        c.add(new Case("forward --inputs with token type 7", dir -> {
            Path inputs = Files.writeString(dir.resolve("inputs.json"), "{\"input_ids\": [[2, 5, 3]], \"token_type_ids\": [[0, 7, 0]]}");
            return Expect.of(1, List.of(inputs.toString(), "token_type_ids holds 7"), "forward", converted.toString(),
                    "--inputs", inputs.toString());
        }));
        c.add(new Case("predict on a generator whose vocab has no [MASK]", dir -> {
            Path gen = ConvertedFolders.convert("small", "generator", dir.resolve("gen"));
            Path vocab = gen.resolve("vocab.txt");
            Files.writeString(vocab, Files.readString(vocab).replace("[MASK]\n", "[MASKED]\n"));
            return Expect.of(1, List.of(vocab.toString(), "has no [MASK] token"), "predict", gen.toString(), "--text", "a [MASK]");
        }));
        // option values
        for (String[] o : new String[][] {{"--tolerance", "NaN"}, {"--tolerance", "-1"}}) {
            c.add(new Case("verify " + o[0] + " " + o[1], dir -> Expect.of(2, List.of("'" + o[0] + "'"), "verify",
                    CliRun.fixture("small").toString(), converted.toString(), "--model", "discriminator", o[0], o[1])));
        }
        for (String top : new String[] {"0", "-5"}) {
            c.add(new Case("predict --top " + top, dir -> Expect.of(2, List.of("'--top'"), "predict", converted.toString(),
                    "--text", "hello", "--top", top)));
        }
        // output paths
        c.add(new Case("convert C --out C --force", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            return convert(1, List.of(ckpt.toString(), "holds the checkpoint file"), ckpt, ckpt, "--force").keeping(ckpt);
        }));
        c.add(new Case("convert C --out <parent of C> --force", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Files.writeString(dir.resolve("unrelated.txt"), "mine");
            return convert(1, List.of(dir.toString(), "holds the checkpoint file"), ckpt, dir, "--force").keeping(dir);
        }));
        c.add(new Case("convert --out / --force", dir -> convert(1, List.of("/: "), CliRun.fixture("small"), Path.of("/"), "--force")));
        c.add(new Case("failing conversion into a/b/c/out leaves no a/b/c", dir -> {
            Path ckpt = CliRun.copyFixture("released", dir);
            Files.delete(ckpt.resolve("electra_small.data-00000-of-00001"));
            return convert(1, List.of("missing data shard"), ckpt, dir.resolve("a/b/c/out"));
        }));
        c.add(new Case("--out whose parent is a file", dir -> {
            Path file = Files.writeString(dir.resolve("file"), "x");
            return convert(1, List.of(file.toString(), "is not a folder"), CliRun.fixture("small"), file.resolve("out"));
        }));
        c.add(new Case("--out with a 250-character name (valid)", dir ->
                convert(0, List.of(), CliRun.fixture("small"), dir.resolve("o".repeat(250)))));
        c.add(new Case("--force into a folder with a foreign file and a stale model (valid)", dir -> {
            Path out = copyConverted(dir);
            Files.writeString(out.resolve("notes.md"), "mine");
            Expect e = convert(0, List.of(), CliRun.fixture("small"), out, "--force");
            return new Expect(e.args(), 0, List.of(), null);
        }));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsOneLineAndLeavesNothing() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
    }

    private void run(Case c) throws Exception {
        Path dir = Files.createTempDirectory(shared, "case");
        Expect expect = c.setup().prepare(dir);
        TreeMap<String, String> before = snapshot(dir);
        TreeMap<String, String> untouchedBefore = expect.untouched() == null ? null : snapshot(expect.untouched());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"),
                ElectraConvert.class.getName()));
        command.addAll(expect.args());
        Process child = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(dir.resolve(".stdout").toFile()).redirectError(dir.resolve(".stderr").toFile()).start();
        boolean done = child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            child.destroyForcibly().waitFor();
        }
        String err = Files.readString(dir.resolve(".stderr"), StandardCharsets.UTF_8);
        Files.delete(dir.resolve(".stdout"));
        Files.delete(dir.resolve(".stderr"));
        assertTrue(done, "hung for " + TIMEOUT_SECONDS + " s; stderr: " + err);
        assertEquals(expect.exitCode(), child.exitValue(), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception") || err.contains("Error:"), "no stack trace or class name: " + err);
        if (expect.exitCode() != 0) {
            List<String> lines = err.lines().toList();
            // a usage error adds the conventional pointer to --help
            boolean usageHint = expect.exitCode() == ExitCodes.USAGE && lines.size() == 2 && lines.get(1).matches("Try '.*--help' for usage\\.");
            assertEquals(1, lines.size() - (usageHint ? 1 : 0), "exactly one line: " + err);
            assertTrue(lines.get(0).startsWith("electra-convert: "), err);
            for (String m : expect.mentions()) {
                assertTrue(lines.get(0).contains(m), "'" + m + "' in: " + lines.get(0));
            }
            TreeMap<String, String> after = snapshot(dir);
            assertEquals(before, after, "nothing written, nothing removed");
        } else {
            assertEquals("", err.lines().filter(l -> l.startsWith("electra-convert:")).findFirst().orElse(""), err);
            try (Stream<Path> s = Files.walk(dir)) {
                assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".electra-convert")).toList(),
                        "no working folder left");
            }
        }
        if (untouchedBefore != null) {
            assertEquals(untouchedBefore, snapshot(expect.untouched()), "the existing folder is unchanged");
        }
    }

    private static Expect convert(int exitCode, List<String> mentions, Path checkpoint, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("convert", checkpoint.toString(), "--model", "discriminator", "--out",
                out.toString(), "--quiet"));
        args.addAll(List.of(extra));
        return new Expect(args, exitCode, mentions, null);
    }

    private static Path copyConverted(Path dir) throws IOException {
        Path copy = Files.createDirectory(dir.resolve("model"));
        try (Stream<Path> files = Files.list(converted)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    /** Every file and folder under {@code root} with a digest of its bytes (FIFOs and huge sparse files by size). */
    private static TreeMap<String, String> snapshot(Path root) throws Exception {
        TreeMap<String, String> map = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isRegularFile(p) && Files.size(p) < 64 << 20) {
                    map.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                } else {
                    map.put(key, Files.isDirectory(p) ? "dir" : "special " + Files.size(p));
                }
            }
        }
        return map;
    }

    private static Path fifo(Path path) throws Exception {
        Files.deleteIfExists(path);
        assumeTrue(new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0, "mkfifo is not available here");
        return path;
    }

    private static void sparse(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    /** Rewrites the table footer's index-block handle (no checksum covers the footer). */
    private static void patchIndexHandle(Path index, long offset, long size) throws IOException {
        byte[] bytes = Files.readAllBytes(index);
        int footer = bytes.length - 48;
        ByteBuffer in = ByteBuffer.wrap(bytes, footer, 48).order(ByteOrder.LITTLE_ENDIAN);
        long metaOffset = varint(in);
        long metaSize = varint(in);
        ByteBuffer out = ByteBuffer.allocate(40);
        putVarint(out, metaOffset);
        putVarint(out, metaSize);
        putVarint(out, offset);
        putVarint(out, size);
        System.arraycopy(out.array(), 0, bytes, footer, 40);
        Files.write(index, bytes);
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    private static void putVarint(ByteBuffer out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }
}
