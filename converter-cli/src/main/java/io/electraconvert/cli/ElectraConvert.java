package io.electraconvert.cli;

import io.electraconvert.error.ElectraConvertException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: {@code electra-convert inspect|convert|verify|predict ...}. */
@Command(name = "electra-convert", mixinStandardHelpOptions = true, versionProvider = ElectraConvert.Version.class,
        description = "Convert Google Research ELECTRA TensorFlow checkpoints to HuggingFace models.",
        subcommands = {InspectCommand.class, ConvertCommand.class, VerifyCommand.class, PredictCommand.class, ForwardCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 bad input or I/O failure, 2 usage error, 3 parity failure (verify), "
                + "4 internal error (a bug in electra-convert)."})
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
        CommandLine cli = new CommandLine(new ElectraConvert());
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

    /** This build's version (the jar manifest's), or {@code development} when run from classes. */
    static String version() {
        String v = ElectraConvert.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
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
