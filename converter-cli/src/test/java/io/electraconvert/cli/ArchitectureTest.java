package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure docs/architecture.md describes, checked on the compiled classes with the JDK's {@code jdeps}:
 * data flows one way (tf-reader, then hf-writer, then model-verify, then the CLI), no two packages depend on each
 * other, and the original side of verify reads nothing of the converter.
 */
class ArchitectureTest {
    private static final List<String> MODULES = List.of("tf-reader", "hf-writer", "model-verify", "converter-cli");
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.electraconvert[\\w.]*)\\s+->\\s+(io\\.electraconvert[\\w.]*)\\s");

    /** package -> the project packages its classes use. */
    private static Map<String, Set<String>> uses;

    @BeforeAll
    static void readDependencies() {
        List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "--multi-release", "17"));
        for (String module : MODULES) {
            Path classes = Fixtures.repoRoot().resolve(module).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), classes + " (compile the modules first)");
            args.add(classes.toString());
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps: not in this JDK"));
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertEquals(0, code, out.toString());
        uses = new TreeMap<>();
        out.toString().lines().map(EDGE::matcher).filter(Matcher::find).forEach(m -> {
            uses.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (!m.group(1).equals(m.group(2))) {
                uses.get(m.group(1)).add(m.group(2));
            }
        });
        assertTrue(uses.keySet().containsAll(List.of("io.electraconvert.tfreader", "io.electraconvert.hf.convert",
                "io.electraconvert.verify.original", "io.electraconvert.cli")), "jdeps output parsed: " + uses.keySet());
    }

    @Test
    void noPackagesDependOnEachOther() {
        List<List<String>> cycles = stronglyConnected().stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles, "package cycles");
    }

    @Test
    void dataFlowsOneWayThroughTheModules() {
        // each layer may use the ones before it, never one after
        List<List<String>> layers = List.of(
                List.of("io.electraconvert.error", "io.electraconvert.files", "io.electraconvert.tensor",
                        "io.electraconvert.tfreader"),
                List.of("io.electraconvert.hf"),
                List.of("io.electraconvert.verify"),
                List.of("io.electraconvert.cli"));
        List<String> violations = new ArrayList<>();
        uses.forEach((from, targets) -> {
            int fromLayer = layerOf(layers, from);
            targets.forEach(to -> {
                if (layerOf(layers, to) > fromLayer) {
                    violations.add(from + " -> " + to);
                }
            });
        });
        assertEquals(List.of(), violations);
    }

    @Test
    void theOriginalSideOfVerifyUsesNothingOfTheConverter() {
        // two independent transcriptions of google-research/electra are the proof: no mapping, schema, plan or config
        Set<String> used = uses.get("io.electraconvert.verify.original");
        List<String> converter = used.stream().filter(p -> p.startsWith("io.electraconvert.hf")).toList();
        assertEquals(List.of(), converter, "verify.original uses " + used);
    }

    private static int layerOf(List<List<String>> layers, String pkg) {
        for (int i = 0; i < layers.size(); i++) {
            for (String root : layers.get(i)) {
                if (pkg.equals(root) || pkg.startsWith(root + ".")) {
                    return i;
                }
            }
        }
        throw new AssertionError(pkg + ": in no layer of the architecture");
    }

    /** Tarjan's strongly connected components of the package graph. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String start : uses.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                Set<String> onStack, List<List<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : uses.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
