package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output does not depend on the default locale: German groups digits with '.', Arabic (Egypt) writes Arabic-Indic
 * digits, and the checkpoint's data file names ({@code .data-00000-of-00001}) must not take them either.
 */
class LocaleTest {
    private static final List<Locale> LOCALES = List.of(Locale.GERMANY, Locale.forLanguageTag("ar-EG"));

    @TempDir
    Path tmp;

    /** What {@code command} prints under the root locale; each other locale must print exactly that. */
    private static void sameEverywhere(String what, Function<Locale, String> command) {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.ROOT);
            String expected = command.apply(Locale.ROOT);
            for (Locale locale : LOCALES) {
                Locale.setDefault(locale);
                assertEquals(expected, command.apply(locale), what + " under " + locale);
            }
        } finally {
            Locale.setDefault(saved);
        }
    }

    private static String ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        return run.out() + run.err();
    }

    @Test
    void everyCommandsOutput() throws Exception {
        Path folder = ConvertedFolders.convert("small", "generator", tmp.resolve("model"), "--format", "safetensors,pytorch");
        Path inputs = Files.writeString(tmp.resolve("inputs.json"), "{\"input_ids\": [[2, 7, 3]]}");
        String inspect = ok("inspect", CliRun.fixture("sharded").toString());
        assertTrue(inspect.matches("(?s).*\\d,\\d\\d\\d bytes.*"), "digits grouped: " + inspect);
        sameEverywhere("inspect CKPT", l -> ok("inspect", CliRun.fixture("sharded").toString()));
        sameEverywhere("inspect DIR", l -> ok("inspect", folder.toString()));
        sameEverywhere("predict", l -> ok("predict", folder.toString(), "--text", "the [MASK] fox"));
        sameEverywhere("forward", l -> ok("forward", folder.toString(), "--inputs", inputs.toString()));
        sameEverywhere("verify", l -> ok("verify", CliRun.fixture("small").toString(), folder.toString(), "--model",
                "generator"));
        List<Path> outs = new ArrayList<>();
        sameEverywhere("convert", l -> {
            Path out = tmp.resolve("out-" + l.toLanguageTag());
            outs.add(out);
            return ok("convert", CliRun.fixture("small").toString(), "-m", "discriminator", "-o", out.toString(), "--dtype",
                    "float16", "--vocab", Fixtures.vocab().toString(), "--verbose").replace(out.toString(), "OUT");
        });
        assertEquals(1 + LOCALES.size(), outs.size());
    }

    @Test
    void progressLine() {
        sameEverywhere("progress", l -> {
            long[] now = {0};
            StringWriter text = new StringWriter();
            ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true, () -> now[0]);
            now[0] = 1_500_000_000L;
            display.progress(1500L << 20, 10_000L << 20, "t");
            return text.toString();
        });
    }
}
