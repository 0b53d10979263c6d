package io.electraconvert.cli;

import io.electraconvert.hf.HfFormatException;
import io.electraconvert.tfreader.CheckpointException;
import io.electraconvert.verify.ModelException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point: {@code electra-convert inspect|convert|verify|predict ...}. */
@Command(name = "electra-convert", mixinStandardHelpOptions = true, versionProvider = ElectraConvert.Version.class,
        description = "Convert Google Research ELECTRA TensorFlow checkpoints to HuggingFace models.",
        subcommands = {InspectCommand.class, ConvertCommand.class, VerifyCommand.class, PredictCommand.class, ForwardCommand.class},
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

    /** Runs the CLI and returns its exit code (never calls {@code System.exit}). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ElectraConvert());
        cli.setExecutionExceptionHandler(ElectraConvert::handle);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("electra-convert: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean verbose = cmd.getCommandSpec().root().userObject() instanceof ElectraConvert root && root.verbose;
        PrintWriter err = cmd.getErr();
        int code;
        String message;
        if (e instanceof CheckpointException || e instanceof HfFormatException || e instanceof UserInputException
                || e instanceof ModelException) {
            code = ExitCodes.BAD_INPUT;
            message = e.getMessage();
        } else if (e instanceof IOException || e instanceof UncheckedIOException) {
            code = ExitCodes.BAD_INPUT;
            message = "I/O error: " + e.getMessage();
        } else {
            code = ExitCodes.INTERNAL;
            message = "internal error (please report): " + e;
        }
        err.println("electra-convert: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
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
