package io.electraconvert.cli;

import io.electraconvert.error.ElectraConvertException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: {@code electra-convert inspect|convert|verify|predict ...}. */
@Command(name = "electra-convert", mixinStandardHelpOptions = true, versionProvider = ElectraConvert.Version.class,
        description = "Convert Google Research ELECTRA TensorFlow checkpoints to HuggingFace models.",
        footer = {"", "Exit codes: 0 ok, 1 bad input or I/O failure, 2 usage error, 3 parity failure (verify)."})
public final class ElectraConvert implements Runnable {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces and details.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: inspect, convert, verify, predict or forward");
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
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("electra-convert: " + ElectraConvertException.oneLine(ex.getMessage()));
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        try {
            return cli.execute(args);
        } catch (Throwable e) { // picocli hands Errors straight through
            return report(e, cli);
        }
    }

    /**
     * The command line with its subcommands, in help order. Picocli reflects over every registered command's class and
     * annotations when it is registered (~10 ms a command of a cold JVM), so when the first word that is not an option
     * names a command, only that one is registered; help, a misspelt command and no command get all of them.
     */
    static CommandLine commandLine(String... args) {
        List<String> names = List.of("inspect", "convert", "verify", "predict", "forward");
        String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().filter(names::contains).orElse(null);
        CommandLine cli = new CommandLine(new ElectraConvert());
        for (String name : names) {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, switch (name) {
                    case "inspect" -> new InspectCommand();
                    case "convert" -> new ConvertCommand();
                    case "verify" -> new VerifyCommand();
                    case "predict" -> new PredictCommand();
                    default -> new ForwardCommand();
                });
            }
        }
        return cli;
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

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ElectraConvert.class.getPackage().getImplementationVersion();
            return new String[] {"electra-convert " + (v == null ? "(development build)" : v)};
        }
    }
}
