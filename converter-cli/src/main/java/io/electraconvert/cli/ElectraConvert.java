package io.electraconvert.cli;

import io.electraconvert.error.ElectraConvertException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.json.JsonEnvelope;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** Entry point: {@code electra-convert inspect|convert|verify|predict|forward|completion|help ...}. */
@Command(name = "electra-convert", mixinStandardHelpOptions = true, versionProvider = ElectraConvert.Version.class,
        description = "Convert Google Research ELECTRA TensorFlow checkpoints to HuggingFace models.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":ok",
                ExitCodes.BAD_INPUT + ":bad input or I/O failure (one line on stderr naming the file)",
                ExitCodes.USAGE + ":usage error",
                ExitCodes.PARITY_FAILURE + ":parity failure (verify)",
                ExitCodes.INTERNAL + ":internal error, a bug in electra-convert: please report it with the output of --verbose"},
        footer = {"", "Where an option reads a file (--hparams, --vocab, --inputs), - reads standard input.",
                "", "Environment:",
                "  ELECTRA_CONVERT_JAVA_OPTS  JVM options for the launcher script, e.g. -Xmx8g"})
public final class ElectraConvert implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces and details.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code (never calls {@code System.exit}). The one containment boundary: every
     * failure, {@link Error}s included, ends here as one stderr line and an exit code; stack traces only with
     * {@code --verbose}.
     */
    public static int run(String... args) {
        CommandLine cli = commandLine(args);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd));
        cli.setParameterExceptionHandler((reported, a) -> {
            CommandLine.ParameterException ex = cause(reported, a);
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("electra-convert: " + ElectraConvertException.oneLine(usageProblem(ex)));
            // "Did you mean: convert?" for a mistyped command, "Possible solutions: --model" for an option
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionStrategy(parsed -> {
            requireOneStandardInput(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        try {
            return cli.execute(args);
        } catch (Throwable e) { // picocli hands Errors straight through
            return report(e, cli);
        }
    }

    /**
     * The command tree with its help as {@code --help} shows it. Picocli reflects over every registered command's class
     * and annotations when it is registered (~10 ms a command of a cold JVM), so when the first word that is not an
     * option names a command that runs a model or a file, only that one is registered; help, completion, a misspelt
     * command and no command get all of them.
     */
    static CommandLine commandLine(String... args) {
        List<String> names = List.of("inspect", "convert", "verify", "predict", "forward", "completion", "help");
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst()
                .filter(n -> names.subList(0, 5).contains(n)).orElse(null);
        CommandLine cli = new CommandLine(new ElectraConvert());
        for (String name : names) {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, switch (name) {
                    case "inspect" -> new InspectCommand();
                    case "convert" -> new ConvertCommand();
                    case "verify" -> new VerifyCommand();
                    case "predict" -> new PredictCommand();
                    case "forward" -> new ForwardCommand();
                    case "completion" -> new CompletionCommand();
                    default -> new CommandLine.HelpCommand();
                });
            }
        }
        HelpSections.install(cli);
        return cli;
    }

    /**
     * A mistyped option ({@code --modle}) leaves a required one missing, and picocli reports the missing one; the
     * mistyped one is the cause to report, with its suggestions.
     */
    private static CommandLine.ParameterException cause(CommandLine.ParameterException ex, String[] args) {
        if (ex instanceof CommandLine.MissingParameterException) {
            CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
            for (String arg : args) {
                if (arg.equals("--")) {
                    break;
                }
                if (arg.startsWith("--") && spec.findOption(arg.split("=", 2)[0]) == null) {
                    return new CommandLine.UnmatchedArgumentException(ex.getCommandLine(), List.of(arg));
                }
            }
        }
        return ex;
    }

    /** picocli's message, but a mistyped command is called that rather than "Unmatched arguments from index 0". */
    private static String usageProblem(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getCommandLine().getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        return ex.getMessage();
    }

    /** Standard input can be read once: two options naming {@code -} is a usage error, not an empty second file. */
    private static void requireOneStandardInput(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult command = parsed;
        while (command.hasSubcommand()) {
            command = command.subcommand();
        }
        List<String> readers = command.matchedOptions().stream()
                .filter(o -> InputFiles.STDIN.equals(o.getValue()))
                .map(OptionSpec::longestName).toList();
        if (readers.size() > 1) {
            throw new CommandLine.ParameterException(command.commandSpec().commandLine(), "standard input can be read only once, "
                    + "but " + String.join(" and ", readers) + (readers.size() == 2 ? " both" : " all") + " name it ('-')");
        }
    }

    private static int report(Throwable e, CommandLine cmd) {
        boolean verbose = cmd.getCommandSpec().root().userObject() instanceof ElectraConvert root && root.verbose;
        PrintWriter err = cmd.getErr();
        Failure failure = Failure.of(e);
        err.println("electra-convert: " + ElectraConvertException.oneLine(failure.message()));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return failure.exitCode();
    }

    /** The version the build recorded, and the Java runtime it runs on (for bug reports). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {JsonEnvelope.TOOL + " " + JsonEnvelope.toolVersion(),
                    String.format(Locale.ROOT, "Java %s (%s), %s %s", System.getProperty("java.version"),
                            System.getProperty("java.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"))};
        }
    }
}
