package io.electraconvert.maven;

import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.maven.VerifyFork.ForkFailure;
import io.electraconvert.maven.VerifyRun.Kind;
import io.electraconvert.maven.VerifyRun.Outcome;
import io.electraconvert.verify.parity.ParityRequest;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks that a converted HuggingFace folder computes what the TensorFlow checkpoint computes, as the command line's
 * {@code verify} does: google-research/electra's forward pass, transcribed independently of the converter, against
 * transformers' forward pass over the folder, layer by layer, for every weight format the folder holds. A parity
 * failure fails the build naming the first diverging tensor (or the config value that differs), and so does a
 * missing or unreadable file, naming it; {@code report} is written either way once the check has run.
 * <p>
 * By default it runs in a forked JVM with {@code --add-modules jdk.incubator.vector}, so that the forward pass takes
 * the Vector API kernel as the command line's does; Maven's own JVM normally lacks that module and would run the
 * scalar kernel (same results within tolerance, slower on large models). The log names the kernel that ran.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends AbstractMojo {
    /** The checkpoint the folder was converted from: a prefix, its {@code .index} file, or a directory. */
    @Parameter(property = "electra.checkpoint", required = true)
    File checkpoint;

    /** The converted HuggingFace model folder. */
    @Parameter(property = "electra.folder", required = true)
    File folder;

    /** Which network of the checkpoint the folder holds: {@code discriminator}, {@code generator} or {@code body}. */
    @Parameter(property = "electra.model", alias = "network")
    String model;

    /** Instead of {@code model}: the fine-tuning task whose head the folder holds (e.g. {@code mnli}). */
    @Parameter(property = "electra.task")
    String task;

    /** The hparams the checkpoint was trained with (the original's heads and activation), when not beside it. */
    @Parameter(property = "electra.hparams")
    File hparams;

    /** Which weight formats of the folder to check ({@code safetensors}, {@code pytorch}, {@code tf}); default: all present. */
    @Parameter(property = "electra.formats")
    List<String> formats;

    /** Allowed difference; default 1e-5 for float32 weights, 1e-2 for float16, 5e-2 for bfloat16. */
    @Parameter(property = "electra.tolerance")
    String tolerance;

    /** Fail on a config value that only google-research/electra's defaults give (no file or tensor confirms it). */
    @Parameter(property = "electra.strict", defaultValue = "false")
    boolean strict;

    /** A sentence to add to the inputs, tokenized with the folder's {@code vocab.txt}. */
    @Parameter(property = "electra.text")
    String text;

    /** Also write the comparison as JSON to this file (the command line's {@code --report}). */
    @Parameter(property = "electra.report")
    File report;

    /**
     * Run the check in a JVM of its own, started from the runtime Maven runs on with
     * {@code --add-modules jdk.incubator.vector} (the Vector API kernel). With {@code false} it runs in Maven's JVM,
     * which takes the vector kernel only when {@code MAVEN_OPTS} holds {@code --add-modules jdk.incubator.vector}.
     */
    @Parameter(property = "electra.fork", defaultValue = "true")
    boolean fork;

    /** Options for the forked JVM, e.g. {@code -Xmx4g}. */
    @Parameter(property = "electra.jvmArgs")
    List<String> jvmArgs;

    /** Skip this goal. */
    @Parameter(property = "electra.verify.skip", defaultValue = "false")
    boolean skip;

    /** The plugin's own dependencies: the forked JVM's class path. */
    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true)
    List<Artifact> pluginArtifacts;


    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("skipped (skip=true)");
            return;
        }
        VerifyJob job = job();
        LogLines log = Parameters.log(getLog());
        Outcome outcome;
        if (fork) {
            try {
                outcome = VerifyFork.run(job, classpath(), jvmArgs == null ? List.of() : jvmArgs, log);
            } catch (ForkFailure e) {
                throw new MojoExecutionException(e.getMessage());
            }
        } else {
            outcome = VerifyRun.run(job, false, log);
        }
        if (outcome.kind() == Kind.FAILURE) {
            throw new MojoFailureException(outcome.message());
        }
    }

    VerifyJob job() throws MojoFailureException {
        if (model == null && task == null) {
            throw Parameters.bad("model", "not set; give discriminator, generator, body or task");
        }
        ModelChoice choice = model == null ? ModelChoice.task() : Parameters.parse("model", model, ModelChoice::parse);
        if (task != null && !(choice instanceof ModelChoice.Task)) {
            throw Parameters.bad("task", "applies to model task, not model " + choice.cliName());
        }
        ParityRequest request = ParityRequest.of(Parameters.required("checkpoint", checkpoint),
                Parameters.required("folder", folder), choice.cliName()).withStrict(strict);
        if (task != null) {
            request = request.withTask(task);
        }
        if (hparams != null) {
            request = request.withHparams(hparams.toPath());
        }
        if (formats != null && !formats.isEmpty()) {
            request = request.withFormats(Parameters.formats(formats).stream().map(WeightsFormat::name).toList());
        }
        if (tolerance != null && !tolerance.isBlank()) {
            request = request.withTolerance(Parameters.parse("tolerance", tolerance, VerifyMojo::tolerance));
        }
        if (text != null) {
            request = request.withText(text);
        }
        return new VerifyJob(request, Optional.ofNullable(report).map(File::toPath));
    }

    private static double tolerance(String value) {
        double v;
        try {
            v = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("expected a finite number >= 0, got '" + value + "'");
        }
        return v;
    }

    /**
     * The plugin's jar and its dependencies, as Maven resolved them for this plugin; outside Maven (the plugin's own
     * tests), this JVM's class path.
     */
    List<Path> classpath() {
        Set<Path> paths = new LinkedHashSet<>();
        if (pluginArtifacts == null) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                paths.add(Path.of(entry));
            }
            return new ArrayList<>(paths);
        }
        CodeSource own = ForkedVerify.class.getProtectionDomain().getCodeSource();
        if (own != null) {
            try {
                paths.add(Path.of(own.getLocation().toURI()));
            } catch (URISyntaxException e) {
                getLog().debug("the plugin's own jar is not a file: " + own.getLocation());
            }
        }
        pluginArtifacts.stream().map(Artifact::getFile).filter(f -> f != null).forEach(f -> paths.add(f.toPath()));
        return new ArrayList<>(paths);
    }
}
