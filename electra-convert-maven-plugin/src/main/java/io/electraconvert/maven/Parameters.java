package io.electraconvert.maven;

import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

/**
 * Checking the goals' parameter values: a bad one fails the build ({@link MojoFailureException}, the user's to fix)
 * with one line naming the parameter and the value.
 */
final class Parameters {
    private Parameters() {}

    static MojoFailureException bad(String parameter, String problem) {
        return new MojoFailureException("parameter '" + parameter + "': " + problem);
    }

    /** {@code parse(value)}, its {@link IllegalArgumentException} (which names the value) becoming {@link #bad}. */
    static <T> T parse(String parameter, String value, Function<String, T> parse) throws MojoFailureException {
        if (value == null) {
            throw bad(parameter, "not set");
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw bad(parameter, e.getMessage());
        }
    }

    static Path required(String parameter, File value) throws MojoFailureException {
        if (value == null) {
            throw bad(parameter, "not set");
        }
        return value.toPath();
    }

    /** A list of weights formats; empty or unset is an error (there is nothing to write or check). */
    static List<WeightsFormat> formats(List<String> names) throws MojoFailureException {
        if (names == null || names.stream().allMatch(String::isBlank)) {
            throw bad("formats", "empty; give one or more of " + String.join(", ",
                    WeightsFormats.all().stream().map(WeightsFormat::name).toList()));
        }
        return parse("formats", String.join(",", names), WeightsFormats::parse);
    }

    /** Maven's log as {@link LogLines}. */
    static LogLines log(Log log) {
        return (level, text) -> {
            switch (level) {
                case DEBUG -> log.debug(text);
                case INFO -> log.info(text);
                case WARN -> log.warn(text);
                case ERROR -> log.error(text);
            }
        };
    }
}
