package io.electraconvert.verify.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: headless Chromium parses the page into the DOM the report meant (the charts as
 * SVG, the divergence marked) and draws it at the size it was laid out for. Skipped, with the reason, where no
 * {@code chromium} is on PATH ({@code .ci/run} installs Debian's).
 */
class ParityReportHtmlBrowserTest {
    @TempDir
    static Path tmp;

    private static final int TIMEOUT_SECONDS = 30;

    static Path chromium;
    static Path page;

    @BeforeAll
    static void renderThePlantedMistake() throws Exception {
        chromium = onPath("chromium").or(() -> onPath("chromium-browser")).orElse(null);
        if (chromium != null) {
            page = tmp.resolve("report.html");
            Files.writeString(page, ParityReportHtml.write(ParityReportHtmlTest.plantedReport(tmp)));
        }
    }

    /** Per test, not in {@code @BeforeAll}: surefire counts a class-level assumption as no tests at all, not as skipped. */
    @BeforeEach
    void needsChromium() {
        assumeTrue(chromium != null, "no chromium or chromium-browser on PATH (Debian: apt-get install chromium; "
                + ".ci/run installs it): the browser check of verify's HTML report is skipped");
    }

    @Test
    void theBrowsersDomHoldsTheChartsAndTheMarkedDivergence() throws Exception {
        String dom = chromium("--dump-dom", page.toUri().toString());
        assertEquals(3, count(dom, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"parity-chart\""), "one chart per format");
        assertEquals(3 * 7, count(dom, "<circle class=\"point "), "7 comparisons per format");
        assertEquals(3, count(dom, "<g class=\"divergence\" data-tensor=\"hidden_states[1]\" data-input=\""
                + ParityReportHtmlTest.RANDOM + "\">"));
        assertEquals(0, count(dom, "<script"));
        Matcher h1 = Pattern.compile("<h1>([^<]*)</h1>").matcher(dom);
        assertTrue(h1.find(), dom);
        assertEquals("FAIL: verify discriminator", h1.group(1));
    }

    /** The screenshot shows the first chart's divergence band over the layer-0 column, at its laid-out size. */
    @Test
    void theScreenshotShowsTheBandOverLayer0() throws Exception {
        Path shot = tmp.resolve("report.png");
        chromium("--screenshot=" + shot, "--window-size=1200,1600", "--hide-scrollbars", page.toUri().toString());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(1600, image.getHeight());
        int band = Integer.parseInt(ParityChart.DIVERGENCE_FILL.substring(1), 16);
        int top = -1;
        int minX = Integer.MAX_VALUE;
        int maxX = -1;
        int bottom = -1;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == band && (top < 0 || y < top + 600)) { // the first chart's
                    top = top < 0 ? y : top;
                    bottom = y;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        assertTrue(top >= 0, "no pixel of the divergence band's colour in " + shot);
        // the chart is drawn 1:1 (1000 px wide): four stage columns of 904/4 = 226 px, the band 432 px high
        assertEquals(226, maxX - minX + 1, 3.0, "band width");
        assertEquals(432, bottom - top + 1, 3.0, "band height");
    }

    private static String chromium(String... args) throws Exception {
        // --no-sandbox: CI runs as root; --disable-dev-shm-usage: containers give /dev/shm 64 MB
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + tmp.resolve("profile")));
        command.addAll(List.of(args));
        File out = tmp.resolve("chromium.out").toFile();
        File err = tmp.resolve("chromium.err").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
        Map<String, String> env = builder.environment(); // nothing of the browser's lands outside the temporary folder
        env.put("HOME", tmp.toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        Process process = builder.start();
        // one local page takes about a second; a browser stuck on anything is killed with its renderer processes
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        assertEquals(0, process.exitValue(), "chromium " + command + ": " + Files.readString(err.toPath()));
        return Files.readString(out.toPath());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
