package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.testsupport.Fixtures;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** Usage errors and help as picocli's conventions have them: suggestions, {@code help [COMMAND]}, whole examples. */
class UsageTest {
    @Test
    void aMistypedCommandGetsSuggestions() {
        CliRun run = CliRun.of("conver", "x");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        List<String> lines = run.err().lines().toList();
        assertEquals("electra-convert: unknown command 'conver'", lines.get(0));
        assertTrue(lines.get(1).startsWith("Did you mean: electra-convert convert"), run.err());
        assertEquals("Try 'electra-convert --help' for usage.", lines.get(2));
        assertEquals(3, lines.size(), run.err());
    }

    @Test
    void aMistypedOptionIsReportedWithSuggestionsRatherThanTheRequiredOneItHides() {
        CliRun run = CliRun.of("convert", "ckpt", "--modle", "discriminator", "-o", "out");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertEquals(List.of("electra-convert: Unknown option: '--modle'", "Possible solutions: --model",
                "Try 'electra-convert convert --help' for usage."), run.err().lines().toList());
    }

    @Test
    void helpWithAndWithoutACommand() {
        CliRun root = CliRun.of("help");
        assertEquals(ExitCodes.OK, root.exitCode(), root.err());
        assertTrue(root.out().startsWith("Usage: electra-convert "), root.out());
        assertEquals(CliRun.of("--help").out(), root.out());

        CliRun convert = CliRun.of("help", "convert");
        assertEquals(ExitCodes.OK, convert.exitCode(), convert.err());
        assertEquals(CliRun.of("convert", "--help").out(), convert.out());
        assertTrue(convert.out().startsWith("Usage: electra-convert convert "), convert.out());

        CliRun unknown = CliRun.of("help", "nosuch");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().startsWith("electra-convert: Unknown subcommand 'nosuch'"), unknown.err());
    }

    /** Each command's help as {@code --help} prints it at picocli's default width of 80. */
    private static Map<String, CommandLine> commands() {
        CommandLine root = ElectraConvert.commandLine();
        Map<String, CommandLine> all = new java.util.LinkedHashMap<>();
        all.put("electra-convert", root);
        root.getSubcommands().forEach((name, command) -> all.put("electra-convert " + name, command));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> examplesAreWholeLinesThatParse() {
        return commands().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            CommandLine command = e.getValue();
            List<String> rendered = command.getUsageMessage().lines().toList();
            for (String line : command.getCommandSpec().usageMessage().footer()) {
                if (line.startsWith("  ")) {
                    assertTrue(rendered.contains(line), "printed whole, not wrapped: " + line);
                }
                if (line.startsWith("  electra-convert ")) {
                    List<String> words = shellWords(line.substring("  electra-convert ".length()));
                    ElectraConvert.commandLine().parseArgs(words.toArray(String[]::new)); // throws if it does not parse
                }
            }
        }));
    }

    /** Words as a shell splits them (quotes, no expansion), up to a redirection or pipe. */
    static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if ((c == '>' || c == '|') && word == null) {
                return words;
            } else {
                word = (word == null ? new StringBuilder() : word).append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    @Test
    void everyExitCodeAndEnvironmentVariableIsDocumented() throws Exception {
        String help = CliRun.of("--help").out();
        String readme = Files.readString(Fixtures.repoRoot().resolve("README.md"));
        for (Field f : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                int code = f.getInt(null);
                assertTrue(help.lines().anyMatch(l -> l.startsWith("  " + code + "   ")), "--help lists exit code " + code + ": " + help);
                assertTrue(readme.contains("`" + code + "` "), "README lists exit code " + code);
            }
        }
        assertTrue(help.contains("ELECTRA_CONVERT_JAVA_OPTS"), help);
        assertTrue(readme.contains("ELECTRA_CONVERT_JAVA_OPTS"), "README documents ELECTRA_CONVERT_JAVA_OPTS");
    }

    @Test
    void formatHelpComesFromTheRegistry() {
        for (String command : List.of("convert", "forward", "verify")) {
            String help = CliRun.of(command, "--help").out();
            assertTrue(help.contains("Weight formats (--format):"), command + ": " + help);
            for (WeightsFormat format : WeightsFormats.all()) {
                assertTrue(help.lines().anyMatch(l -> l.matches("  " + format.name() + " +" + java.util.regex.Pattern.quote(
                        format.description().split(" ")[0]) + ".*")), command + " lists " + format.name() + ": " + help);
            }
        }
        assertTrue(CliRun.of("convert", "--help").out().contains("any of safetensors, pytorch, tf"));
        CliRun unknown = CliRun.of("forward", "dir", "--inputs", "x.json", "--format", "onnx");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown format 'onnx' (expected safetensors, pytorch, tf)"), unknown.err());
    }
}
