package io.electraconvert.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's training run for its class-data archive (AppCDS): runs every command once, in one JVM, on the
 * small pretraining fixture, so that {@code -XX:ArchiveClassesAtExit} archives the classes real runs load (Jackson,
 * protobuf, jHDF, the model and kernels, the Vector API). Real runs then map them from the archive instead of
 * reading, parsing and verifying them from the jar. Writes only under WORK; the commands' output is discarded.
 *
 * <p>{@code java -cp electra-convert.jar io.electraconvert.cli.StartupTraining CKPT_DIR VOCAB WORK}. A command that
 * fails is named on stderr but the exit code stays 0: the archive is still valid, only less complete, and the launcher
 * keeps it whenever the JVM exits 0 (a failed dump exits 1). {@code StartupTrainingTest} checks that every command
 * succeeds, so a renamed option shows up there rather than as a silently slower start-up.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: StartupTraining CKPT_DIR VOCAB WORK");
            System.exit(2);
        }
        List<String> failed = run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        failed.forEach(f -> System.err.println("failed: " + f));
        System.exit(0);
    }

    /** Runs the commands, their stdout and stderr discarded, and returns those that did not exit 0. */
    static List<String> run(Path checkpoint, Path vocab, Path work) throws IOException {
        String ckpt = checkpoint.toString();
        String hparams = checkpoint.resolve("hparams.json").toString();
        String disc = work.resolve("disc").toString();
        String gen = work.resolve("gen").toString();
        Path inputs = work.resolve("inputs.json");
        Files.writeString(inputs, "{\"input_ids\": [[2, 5, 6, 3, 0]], \"attention_mask\": [[1, 1, 1, 1, 0]]}\n");
        List<String[]> commands = List.of(
                new String[] {"--version"},
                new String[] {"inspect", ckpt, "--json"},
                new String[] {"convert", ckpt, "--model", "discriminator", "--out", disc, "--vocab", vocab.toString(),
                        "--hparams", hparams, "--format", "safetensors,pytorch,tf", "--quiet"},
                new String[] {"convert", ckpt, "--model", "generator", "--out", gen, "--vocab", vocab.toString(),
                        "--hparams", hparams, "--quiet"},
                new String[] {"inspect", disc},
                new String[] {"verify", ckpt, disc, "--model", "discriminator", "--hparams", hparams,
                        "--report", work.resolve("report.json").toString()},
                new String[] {"verify", ckpt, disc, "--model", "discriminator", "--hparams", hparams, "--format", "pytorch"},
                new String[] {"verify", ckpt, disc, "--model", "discriminator", "--hparams", hparams, "--format", "tf"},
                new String[] {"verify", ckpt, gen, "--model", "generator", "--hparams", hparams},
                new String[] {"predict", gen, "--text", "the quick brown [MASK] jumps"},
                new String[] {"predict", disc, "--text", "the quick brown fox jumps"},
                new String[] {"forward", disc, "--inputs", inputs.toString()});
        List<String> failed = new ArrayList<>();
        PrintStream out = System.out;
        PrintStream err = System.err;
        try (PrintStream none = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
            System.setOut(none);
            System.setErr(none);
            for (String[] command : commands) {
                int code = ElectraConvert.run(command);
                if (code != ExitCodes.OK) {
                    failed.add(String.join(" ", command) + " (exit " + code + ")");
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return failed;
    }
}
