package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code completion}'s script, run by bash as it would complete: values are offered as they are typed. */
class CompletionTest {
    @TempDir
    static Path tmp;
    static Path script;

    @BeforeAll
    static void writeScript() throws Exception {
        CliRun run = CliRun.of("completion");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        script = Files.writeString(tmp.resolve("electra-convert.bash"), run.out());
    }

    /** What bash offers for the last word of {@code line} (which ends with a space when that word is empty). */
    private static String complete(String line) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        String[] words = (line + (line.endsWith(" ") ? "''" : "")).split(" ");
        String driver = "source '" + script + "' 2>/dev/null\n"
                + "COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}\n"
                + "_complete_electra-convert 2>/dev/null; echo \"${COMPREPLY[*]}\"\n";
        Process bash = new ProcessBuilder("/bin/bash", "--norc", "-c", driver).redirectErrorStream(true).start();
        assertEquals(true, bash.waitFor(30, TimeUnit.SECONDS));
        return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void commandsOptionsAndValues() throws Exception {
        assertEquals("convert", complete("electra-convert conv"));
        assertEquals("completion", complete("electra-convert compl"));
        assertEquals("--model", complete("electra-convert convert --mod"));
        assertEquals("discriminator generator body task", complete("electra-convert convert ckpt --model "));
        assertEquals("discriminator generator body task", complete("electra-convert convert ckpt -m "));
        assertEquals("discriminator generator body task", complete("electra-convert verify ckpt dir --model "));
        assertEquals("float16 bfloat16 float32", complete("electra-convert convert ckpt --dtype "));
        assertEquals("safetensors pytorch tf", complete("electra-convert convert ckpt --format "));
        assertEquals("safetensors pytorch tf", complete("electra-convert forward dir --format "));
    }

    @Test
    void noValueInUpperCase() throws Exception {
        String text = Files.readString(script);
        assertFalse(text.contains("DISCRIMINATOR") || text.contains("FLOAT32") || text.contains("SAFETENSORS"), "upper-case values");
        Process check = new ProcessBuilder("/bin/bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertEquals(true, check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
