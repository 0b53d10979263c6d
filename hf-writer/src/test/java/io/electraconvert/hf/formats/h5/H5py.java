package io.electraconvert.hf.formats.h5;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the h5py scripts in {@code src/test/resources/h5/} with a Python that has h5py: {@code $ELECTRA_H5PY_PYTHON},
 * else Debian's {@code /usr/bin/python3} (with {@code python3-h5py}, which {@code .ci/run} installs), else
 * {@code python3}. Tests needing it are skipped when none has h5py.
 */
final class H5py {
    private static String python;
    private static boolean probed;

    private H5py() {}

    static synchronized String python() {
        if (!probed) {
            probed = true;
            List<String> candidates = new ArrayList<>();
            String env = System.getenv("ELECTRA_H5PY_PYTHON");
            if (env != null && !env.isBlank()) {
                candidates.add(env);
            }
            candidates.add("/usr/bin/python3");
            candidates.add("python3");
            for (String c : candidates) {
                try {
                    Process p = new ProcessBuilder(c, "-c", "import h5py").redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        python = c;
                        break;
                    }
                } catch (IOException e) {
                    // not there
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return python;
    }

    static void assumeAvailable() {
        Assumptions.assumeTrue(python() != null,
                "no Python with h5py (Debian package python3-h5py, which .ci/run installs, or set ELECTRA_H5PY_PYTHON)");
    }

    static String layout(Path file, boolean deep) throws IOException {
        return deep ? run("h5_layout.py", file.toString(), "--deep") : run("h5_layout.py", file.toString());
    }

    static String run(String script, String... args) throws IOException {
        Path s;
        try {
            s = Path.of(H5py.class.getResource("/h5/" + script).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(python(), s.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(script + " failed: " + err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        // the FILE line names the file; compare with the golden layout.txt, always written for tf_model.h5
        return text.replaceFirst("^FILE [^\n]*", "FILE tf_model.h5");
    }

    /**
     * The layout without its second line ({@code userblock_size=0 libver=(...) driver=sec2}): h5py derives the libver
     * low bound from the superblock version, and jHDF writes only superblock v3 / object header v2 (h5py reports
     * {@code ('v108', 'v114')}) where h5py's default is the v0 superblock ({@code ('earliest', 'v114')}). Every
     * group, dataset and attribute line is compared.
     */
    static String withoutFileFormatLine(String layout) {
        return layout.replaceFirst("\n(userblock_size=[^\n]*)\n", "\n");
    }
}
