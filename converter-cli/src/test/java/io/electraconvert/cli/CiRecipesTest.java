package io.electraconvert.cli;

import static io.electraconvert.testsupport.XmlPages.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.testsupport.XmlPages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/**
 * The CI recipes of {@code docs/ci.md} run what the CLI really takes: every {@code ./electra-convert} command in
 * {@code docs/ci/github-actions.yml} and {@code docs/ci/gitlab-ci.yml}, its variables expanded, parses with the CLI's
 * own picocli model; both recipes convert and then verify that very folder with --strict, --report and --html, keep
 * exactly those two files as artifacts even when the job fails, and the commands pass when run on the fixture they
 * name.
 */
class CiRecipesTest {
    private static final String LAUNCHER = "./electra-convert ";
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)|\\$\\{(\\w+)}");

    @TempDir
    Path workspace;

    @Test
    void githubActionsRunsRealCommandsAndKeepsTheReports() throws Exception {
        JsonNode workflow = yaml("github-actions.yml");
        JsonNode steps = workflow.get("jobs").get("convert-and-verify").get("steps");
        List<String> lines = new ArrayList<>();
        JsonNode upload = null;
        for (JsonNode step : steps) {
            if (step.has("run")) {
                lines.addAll(step.get("run").asText().lines().toList());
            }
            if (step.path("uses").asText().startsWith("actions/upload-artifact@")) {
                upload = step;
            }
        }
        List<List<String>> commands = commands(lines, variables(workflow.get("env")));
        Recipe recipe = Recipe.of(commands);
        assertTrue(upload != null, "an upload-artifact step");
        assertEquals("always()", upload.get("if").asText(), "the reports are kept when verify fails");
        assertEquals(Set.of(recipe.report, recipe.html), Set.copyOf(upload.get("with").get("path").asText().strip().lines().toList()));
        assertEquals(commands, Recipe.commands(yaml("gitlab-ci.yml")), "both recipes run the same commands");
    }

    @Test
    void gitlabCiRunsRealCommandsAndKeepsTheReports() throws Exception {
        JsonNode pipeline = yaml("gitlab-ci.yml");
        JsonNode artifacts = pipeline.get("electra-parity").get("artifacts");
        Recipe recipe = Recipe.of(Recipe.commands(pipeline));
        assertEquals("always", artifacts.get("when").asText(), "the reports are kept when verify fails");
        List<String> paths = new ArrayList<>();
        artifacts.get("paths").forEach(p -> paths.add(p.asText()));
        assertEquals(Set.of(recipe.report, recipe.html), Set.copyOf(paths));
    }

    /** The recipes' commands, run in a workspace where their relative paths mean what they mean in a checkout. */
    @Test
    void theRecipesCommandsPassOnTheFixtureTheyName() throws Exception {
        Path testdata = Files.createSymbolicLink(workspace.resolve("testdata"), Fixtures.repoRoot().resolve("testdata"));
        Recipe recipe = Recipe.of(Recipe.commands(yaml("gitlab-ci.yml")));
        try {
            for (List<String> command : List.of(recipe.convert, recipe.verify)) {
                List<String> args = inWorkspace(command);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                assertEquals(ExitCodes.OK, run.exitCode(), args + ": " + run.out() + run.err());
            }
        } finally {
            Files.delete(testdata); // the link only: @TempDir's clean-up would warn about a link leading out of it
        }
        JsonNode report = new ObjectMapper().readTree(workspace.resolve(recipe.report).toFile());
        assertTrue(report.get("pass").asBoolean());
        assertTrue(report.get("strict").asBoolean());
        assertEquals(List.of(), report.get("config").findValuesAsText("unverified").stream().filter("true"::equals).toList(),
                "--strict passes: the recipe gives the hparams");
        assertEquals("true", only(XmlPages.parse(Files.readString(workspace.resolve(recipe.html))), "header", "verdict")
                .getAttribute("data-pass"));
    }

    /** The convert and verify commands of a recipe, checked against each other. */
    private record Recipe(List<String> convert, List<String> verify, String report, String html) {
        static Recipe of(List<List<String>> commands) {
            assertEquals(List.of("convert", "verify"), commands.stream().map(c -> c.get(0)).toList());
            ParseResult convert = parse(commands.get(0));
            ParseResult verify = parse(commands.get(1));
            assertTrue(verify.hasMatchedOption("--strict"));
            assertEquals(given(convert, 0), given(verify, 0), "one checkpoint");
            assertEquals(given(convert, "--out"), given(verify, 1), "verify checks the folder convert wrote");
            assertEquals(given(convert, "--hparams"), given(verify, "--hparams"));
            assertEquals(given(convert, "--model"), given(verify, "--model"));
            String report = given(verify, "--report");
            String html = given(verify, "--html");
            return new Recipe(commands.get(0), commands.get(1), report, html);
        }

        /** An option's value as the recipe spells it; the test fails when the option is not there. */
        static String given(ParseResult command, String option) {
            assertTrue(command.hasMatchedOption(option), option + " in " + command.originalArgs());
            return command.matchedOption(option).originalStringValues().get(0);
        }

        static String given(ParseResult command, int positional) {
            return command.matchedPositional(positional).originalStringValues().get(0);
        }

        static List<List<String>> commands(JsonNode gitlab) {
            JsonNode job = gitlab.get("electra-parity");
            List<String> lines = new ArrayList<>();
            job.get("script").forEach(s -> lines.addAll(s.asText().lines().toList()));
            return CiRecipesTest.commands(lines, variables(job.get("variables")));
        }
    }

    /** Every {@code ./electra-convert} line, variables expanded, split into the arguments the shell would pass. */
    static List<List<String>> commands(List<String> lines, Map<String, String> variables) {
        List<List<String>> commands = new ArrayList<>();
        for (String line : lines) {
            String command = line.strip();
            if (!command.startsWith(LAUNCHER)) {
                assertFalse(command.contains("electra-convert "), "a command not run through the launcher: " + command);
                continue;
            }
            Matcher m = VARIABLE.matcher(command);
            StringBuilder expanded = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                assertTrue(variables.containsKey(name), "$" + name + " is not set in the recipe: " + command);
                m.appendReplacement(expanded, Matcher.quoteReplacement(variables.get(name)));
            }
            m.appendTail(expanded);
            // kept plain so that splitting at spaces is what the shell does: no quoting, globbing or redirection
            assertFalse(expanded.toString().matches(".*['\"\\\\;&|<>*?`$(){}].*"), "shell syntax in: " + expanded);
            commands.add(List.of(expanded.substring(LAUNCHER.length()).strip().split("\\s+")));
        }
        return commands;
    }

    /** The arguments as the CLI parses them; a made-up command or option fails here as it would in the job. */
    static ParseResult parse(List<String> args) {
        try {
            return ElectraConvert.commandLine().parseArgs(args.toArray(String[]::new)).subcommand();
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("electra-convert " + String.join(" ", args) + ": " + e.getMessage(), e);
        }
    }

    /** The command with every path it names resolved in the workspace (the parse says which arguments are paths). */
    private List<String> inWorkspace(List<String> command) {
        Set<String> paths = new HashSet<>();
        for (ArgSpec arg : parse(command).matchedArgs()) {
            if (arg.type() == Path.class) {
                paths.addAll(arg.originalStringValues());
            }
        }
        return command.stream().map(a -> paths.contains(a) ? workspace.resolve(a).toString() : a).toList();
    }

    private static Map<String, String> variables(JsonNode env) {
        Map<String, String> variables = new HashMap<>();
        env.fields().forEachRemaining(e -> variables.put(e.getKey(), e.getValue().asText()));
        return variables;
    }

    private static JsonNode yaml(String name) throws Exception {
        return new YAMLMapper().readTree(Fixtures.repoRoot().resolve("docs/ci").resolve(name).toFile());
    }
}
