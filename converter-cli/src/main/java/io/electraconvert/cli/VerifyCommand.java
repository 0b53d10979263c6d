package io.electraconvert.cli;

import io.electraconvert.error.BadInputException;
import io.electraconvert.error.ParityException;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.verify.parity.ParityCheck;
import io.electraconvert.verify.parity.ParityReport;
import io.electraconvert.verify.parity.ParityReport.ConfigCheck;
import io.electraconvert.verify.parity.ParityReport.FormatResult;
import io.electraconvert.verify.parity.ParityReport.TensorSummary;
import io.electraconvert.verify.parity.ParityReportHtml;
import io.electraconvert.verify.parity.ParityReportJson;
import io.electraconvert.verify.parity.ParityRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verify CKPT DIR --model discriminator|generator|body}: the converted folder against the checkpoint itself. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that a converted HuggingFace folder computes what the TensorFlow checkpoint computes. "
                + "The checkpoint side is google-research/electra's model transcribed independently of the converter "
                + "(its own variable names, heads and hparams rules); the folder side is transformers' forward pass "
                + "reading config.json and the weights by HF names, once per weight format the folder holds. Both run "
                + "the same deterministic inputs layer by layer, and every hidden state (hidden_states[0] = "
                + "embeddings, then each encoder layer) and head output is compared.",
                "Inputs: 3 seeded random sequences with padding and both token types, one random sequence of "
                + "max_position_embeddings tokens, and --text (default: a short sentence) tokenized with DIR/vocab.txt "
                + "when that file exists.",
                "The original's attention heads and activation come from --hparams, else the checkpoint's .meta "
                + "graph, else an hparams.json beside it, else google-research/electra's defaults (max(1, hidden // "
                + "64) heads, gelu), which are marked unverified; --strict fails on them.",
                "An element passes when |converted - original| <= tolerance * max(1, |original|). Default tolerance: "
                + "1e-5 for float32 weights, 1e-2 for float16, 5e-2 for bfloat16."},
        footer = {"", "Exit codes: 0 every format within tolerance, 1 bad input (missing folder, unreadable file, a "
                + "report that cannot be written), 2 usage error, 3 parity failure (stderr names the first diverging "
                + "tensor; --report and --html are written all the same), 4 a bug in electra-convert.", "", "Examples:",
                "  electra-convert verify testdata/checkpoints/small out/disc --model discriminator",
                "  electra-convert verify model_dir out/gen --model generator --strict --report parity.json",
                "  electra-convert verify finetuned/mnli_sts out/mnli --model task --task mnli",
                "  electra-convert verify model_dir out/gen --model generator --html parity.html"})
final class VerifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CKPT", description = "Checkpoint prefix (model.ckpt-N) or directory.")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "DIR", description = "The converted HuggingFace model folder.")
    Path dir;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", completionCandidates = OptionValues.ModelNames.class,
            converter = ConvertCommand.ModelConverter.class,
            description = "What DIR holds, as convert's --model: ${COMPLETION-CANDIDATES}.")
    ModelChoice network;

    @Option(names = "--task", paramLabel = "NAME", description = "With --model task: which task of a multi-task checkpoint (e.g. mnli); implies --model task.")
    String task;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Also write the comparison as JSON.")
    Path report;

    @Option(names = "--html", paramLabel = "FILE.html", description = "Also write the comparison as a self-contained "
            + "HTML page: a per-layer chart per format, the config with its sources, the files checked.")
    Path html;

    @Option(names = "--tolerance", paramLabel = "X", converter = OptionValues.NonNegativeNumber.class,
            description = "Allowed difference (default 1e-5 for F32 weights, 1e-2 for F16, 5e-2 for BF16).")
    Double tolerance;

    @Option(names = "--format", paramLabel = "LIST", split = ",", completionCandidates = OptionValues.FormatNames.class,
            description = "Which weight formats of DIR to check, comma-separated (default: every one it holds).")
    List<String> formats;

    @Option(names = "--text", paramLabel = "TEXT", description = "Text to add to the inputs (needs DIR/vocab.txt).")
    String text;

    @Option(names = "--hparams", paramLabel = "FILE",
            description = "The hparams the checkpoint was trained with (the original's heads and activation).")
    Path hparams;

    @Option(names = "--strict", description = "Fail on a config value only google-research/electra's defaults give.")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ParityRequest request = request();
        if (html != null && report != null && html.toAbsolutePath().normalize().equals(report.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "--html and --report name the same file: " + html);
        }
        // refused before the check runs (it may take minutes), not after
        checkWritable(report, "--report");
        checkWritable(html, "--html");
        ParityReport result = ParityCheck.run(request);
        PrintWriter out = spec.commandLine().getOut();
        render(result, out);
        out.flush();
        // written whether the check passed or not: a failure is what a reader of the report wants to see
        if (report != null) {
            writeAtomically(report, ParityReportJson.write(result));
        }
        if (html != null) {
            writeAtomically(html, ParityReportHtml.write(result));
        }
        if (!result.pass()) {
            throw new ParityException(null, result.failure().orElseThrow());
        }
        return ExitCodes.OK;
    }

    /** A report file can be written: not a folder, and its nearest existing ancestor a writable folder. */
    private static void checkWritable(Path file, String option) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException(file, "is a directory; " + option + " takes the file to write");
        }
        Path up = file.toAbsolutePath().getParent();
        while (up != null && !Files.exists(up)) {
            up = up.getParent();
        }
        if (up != null && !Files.isDirectory(up)) {
            throw new BadInputException(file, up + " is not a directory");
        }
        if (up != null && !Files.isWritable(up)) {
            throw new BadInputException(file, "cannot write in " + up + " (permission denied)");
        }
    }

    /**
     * Writes a report file as the converter writes its folder: into a temporary file beside it, renamed into place when
     * complete, so a reader (or a CI artifact upload) never sees half a report and a failed write leaves nothing.
     */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        // a name of this process's own; a plain write, so the file gets the umask's permissions as any output does
        Path temporary = folder.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private ParityRequest request() {
        if (network == null && task == null) {
            throw new ParameterException(spec.commandLine(), "give --model discriminator|generator|body|task");
        }
        if (task != null && network != null && !(network instanceof ModelChoice.Task)) {
            throw new ParameterException(spec.commandLine(), "--task applies to --model task, not --model "
                    + network.cliName());
        }
        String model = network == null ? ModelChoice.task().cliName() : network.cliName();
        ParityRequest request = ParityRequest.of(checkpoint, dir, model).withStrict(strict);
        if (task != null) {
            request = request.withTask(task);
        }
        if (hparams != null) {
            request = request.withHparams(hparams);
        }
        if (formats != null) {
            try {
                request = request.withFormats(WeightsFormats.parse(String.join(",", formats)).stream()
                        .map(WeightsFormat::name).toList());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--format': " + e.getMessage());
            }
        }
        if (tolerance != null) {
            request = request.withTolerance(tolerance);
        }
        if (text != null) {
            request = request.withText(text);
        }
        return request;
    }

    static void render(ParityReport r, PrintWriter out) {
        out.printf("verify %s: %s vs %s (%s matmul)%n", r.network(), r.checkpoint(), r.folder(), r.matmul());
        r.inputs().forEach(i -> out.printf("  input %s%n", i.name()));
        out.println("config (checkpoint's value and where it came from):");
        for (ConfigCheck c : r.config()) {
            out.printf(Locale.ROOT, "  %-24s %-10s %-4s %s%s%n", c.key(), c.original(),
                    c.matches() ? "ok" : "DIFF", c.provenance(), c.matches() ? "" : "; config.json: " + c.folder());
        }
        if (!r.unverified().isEmpty()) {
            out.println("  unverified (a default of google-research/electra, no file or tensor confirms it): "
                    + String.join(", ", r.unverified().stream().map(ConfigCheck::key).toList()));
        }
        for (FormatResult f : r.formats()) {
            out.printf(Locale.ROOT, "%s (%s; %s weights, tolerance %.0e):%n", f.format(),
                    String.join(", ", f.files().stream().map(p -> p.getFileName().toString()).toList()), f.weightsDtype(),
                    f.tolerance());
            if (f.loadFailure().isPresent()) {
                out.println("  converted model does not load: " + f.loadFailure().get());
                continue;
            }
            out.printf("  %-34s %12s %12s %10s%n", "tensor (worst input)", "max abs diff", "max rel diff", "cosine");
            for (TensorSummary s : f.summary()) {
                out.printf(Locale.ROOT, "  %-34s %12s %12s %10s  %s%n", ParityCheck.label(s.tensor()), num(s.maxAbsDiff()),
                        num(s.maxRelDiff()), Double.isNaN(s.minCosine()) ? "-" : String.format(Locale.ROOT, "%.6f", s.minCosine()),
                        s.pass() ? "ok" : s.shapeMismatch() != null ? "FAIL (" + s.shapeMismatch() + ")" : "FAIL");
            }
            if (f.top1()[1] > 0) {
                out.printf(Locale.ROOT, "  top-1 agreement: %d/%d (%.2f%%)%n", f.top1()[0], f.top1()[1],
                        100.0 * f.top1()[0] / f.top1()[1]);
            }
        }
        out.println(r.pass() ? "PASS: the converted model matches the checkpoint in every format checked" : "FAIL");
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3e", v);
    }
}
