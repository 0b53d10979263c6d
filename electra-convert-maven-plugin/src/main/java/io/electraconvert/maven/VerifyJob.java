package io.electraconvert.maven;

import io.electraconvert.verify.parity.ParityRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verify goal does, as its parameters give it once checked: the request and where to write the JSON
 * report. It crosses to a forked JVM as command-line arguments ({@link #toArgs()},
 * {@link #fromArgs(List)}).
 */
record VerifyJob(ParityRequest request, Optional<Path> report) {
    VerifyJob {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(report, "report");
    }

    /** Every path absolute: a forked JVM may start in another working directory. */
    List<String> toArgs() {
        ParityRequest r = request;
        List<String> args = new ArrayList<>(List.of("--checkpoint", absolute(r.checkpoint()), "--folder",
                absolute(r.folder()), "--network", r.network()));
        r.task().ifPresent(t -> args.addAll(List.of("--task", t)));
        r.hparams().ifPresent(h -> args.addAll(List.of("--hparams", absolute(h))));
        r.formats().forEach(f -> args.addAll(List.of("--format", f)));
        r.tolerance().ifPresent(t -> args.addAll(List.of("--tolerance", Double.toString(t))));
        r.text().ifPresent(t -> args.addAll(List.of("--text", t)));
        if (r.strict()) {
            args.add("--strict");
        }
        report.ifPresent(p -> args.addAll(List.of("--report", absolute(p))));
        return args;
    }

    static VerifyJob fromArgs(List<String> args) {
        Path checkpoint = null;
        Path folder = null;
        String network = null;
        Optional<Path> report = Optional.empty();
        List<String> formats = new ArrayList<>();
        Optional<String> task = Optional.empty();
        Optional<Path> hparams = Optional.empty();
        Optional<Double> tolerance = Optional.empty();
        Optional<String> text = Optional.empty();
        boolean strict = false;
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String name = it.next();
            if (name.equals("--strict")) {
                strict = true;
                continue;
            }
            if (!it.hasNext()) {
                throw new IllegalArgumentException("no value after " + name);
            }
            String value = it.next();
            switch (name) {
                case "--checkpoint" -> checkpoint = Path.of(value);
                case "--folder" -> folder = Path.of(value);
                case "--network" -> network = value;
                case "--task" -> task = Optional.of(value);
                case "--hparams" -> hparams = Optional.of(Path.of(value));
                case "--format" -> formats.add(value);
                case "--tolerance" -> tolerance = Optional.of(Double.parseDouble(value));
                case "--text" -> text = Optional.of(value);
                case "--report" -> report = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown argument " + name);
            }
        }
        ParityRequest request = ParityRequest.of(checkpoint, folder, network).withStrict(strict).withFormats(formats);
        request = task.map(request::withTask).orElse(request);
        request = hparams.map(request::withHparams).orElse(request);
        request = tolerance.map(request::withTolerance).orElse(request);
        request = text.map(request::withText).orElse(request);
        return new VerifyJob(request, report);
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().toString();
    }
}
