package io.electraconvert.hf.folder;

import io.electraconvert.hf.weights.StoredTensor;
import io.electraconvert.hf.weights.WeightFile;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.hf.json.JsonStreaming;
import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.hf.config.ElectraConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A converted HuggingFace model folder read back: its config and the weights transformers would load, chosen in
 * transformers' order (the registry's: {@code model.safetensors} > its sharded index > {@code pytorch_model.bin} >
 * its index > {@code tf_model.h5}), or those of one named format. Opening validates every weight file and, for sharded weights, that the index and the
 * shards agree exactly.
 */
public final class HfModelFolder implements AutoCloseable {
    private final Path dir;
    private final String description;
    private final List<WeightFile> files;
    private final Map<String, WeightFile> byKey = new LinkedHashMap<>();
    private final Map<String, StoredTensor> tensors = new LinkedHashMap<>();

    private HfModelFolder(Path dir, String description, List<WeightFile> files) {
        this.dir = dir;
        this.description = description;
        this.files = files;
        for (WeightFile f : files) {
            for (StoredTensor t : f.stored()) {
                if (tensors.put(t.name(), t) != null) {
                    throw new BadInputException(f.path(), "tensor '" + t.name() + "' is stored in two files");
                }
                byKey.put(t.name(), f);
            }
        }
    }

    public static boolean looksLikeModelFolder(Path dir) {
        return Files.isDirectory(dir) && (Files.isRegularFile(dir.resolve("config.json"))
                || WeightsFormats.all().stream().anyMatch(l -> Files.exists(dir.resolve(l.singleFileName())) || Files.exists(dir.resolve(l.indexFileName()))));
    }

    /** The formats whose weights {@code dir} holds (a single file or a sharded index), in transformers' order. */
    public static List<String> formatsPresent(Path dir) {
        return WeightsFormats.all().stream().filter(l -> Files.exists(dir.resolve(l.singleFileName())) || Files.exists(dir.resolve(l.indexFileName())))
                .map(WeightsFormat::name).toList();
    }

    /** Opens the weights transformers would load from {@code dir}, or the given format's if {@code format} is set. */
    public static HfModelFolder open(Path dir, Optional<String> format) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir, "not a folder");
        }
        for (WeightsFormat layout : WeightsFormats.all()) {
            if (format.isPresent() && !format.get().equals(layout.name())) {
                continue;
            }
            Path single = dir.resolve(layout.singleFileName());
            if (Files.exists(single)) {
                return new HfModelFolder(dir, layout.name(), List.of(layout.open(single)));
            }
            Path index = dir.resolve(layout.indexFileName());
            if (Files.exists(index)) {
                return openSharded(dir, layout, index);
            }
        }
        throw new BadInputException(dir, "no weights file" + format.map(f -> " in format " + f).orElse("") + " (looked for "
                + String.join(", ", WeightsFormats.all().stream().filter(l -> format.isEmpty() || format.get().equals(l.name()))
                        .flatMap(l -> java.util.stream.Stream.of(l.singleFileName(), l.indexFileName())).toList()) + ")");
    }

    private static HfModelFolder openSharded(Path dir, WeightsFormat layout, Path index) {
        JsonNode root;
        try {
            root = JsonStreaming.readTree(InputFiles.readUtf8(index, "sharded weights index", InputFiles.SMALL_TEXT_BYTES));
        } catch (IOException e) {
            throw new BadInputException(index, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || !root.has("metadata")) {
            throw new BadInputException(index, "sharded index needs \"metadata\" and a \"weight_map\" object");
        }
        Map<String, String> keyToFile = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String file = e.getValue().asText();
            if (file.contains("/") || file.contains("\\") || file.equals("..")) {
                throw new BadInputException(index, "weight_map names a file outside the folder: " + file);
            }
            keyToFile.put(e.getKey(), file);
        }
        List<WeightFile> files = new ArrayList<>();
        try {
            for (String name : new TreeSet<>(keyToFile.values())) {
                Path shard = dir.resolve(name);
                if (!Files.exists(shard)) {
                    throw new BadInputException(index, "weight_map names " + name + ", which is missing");
                }
                files.add(layout.open(shard));
            }
            HfModelFolder folder = new HfModelFolder(dir, layout.name() + " (sharded, " + files.size() + " files)", files);
            for (Map.Entry<String, String> e : keyToFile.entrySet()) {
                StoredTensor t = folder.tensors.get(e.getKey());
                if (t == null || !t.file().equals(e.getValue())) {
                    throw new BadInputException(index, "weight_map puts '" + e.getKey() + "' in " + e.getValue() + " but it is "
                            + (t == null ? "in no shard" : "in " + t.file()));
                }
            }
            for (String key : folder.tensors.keySet()) {
                if (!keyToFile.containsKey(key)) {
                    throw new BadInputException(index, "tensor '" + key + "' is in a shard but not in weight_map");
                }
            }
            long totalSize = root.path("metadata").path("total_size").asLong(-1);
            long actual = folder.tensors.values().stream().mapToLong(StoredTensor::bytes).sum();
            if (root.path("metadata").has("total_size") && totalSize != actual) {
                throw new BadInputException(index, "metadata.total_size is " + totalSize + " but the shards hold " + actual + " bytes");
            }
            return folder;
        } catch (RuntimeException e) {
            files.forEach(WeightFile::close);
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    /** e.g. {@code safetensors} or {@code pytorch (sharded, 3 files)}. */
    public String description() {
        return description;
    }

    public List<Path> files() {
        return files.stream().map(WeightFile::path).toList();
    }

    /** Tensors by key, in file order. */
    public Map<String, StoredTensor> tensors() {
        return tensors;
    }

    public float[] readFloats(String key) {
        WeightFile f = byKey.get(key);
        if (f == null) {
            throw new BadInputException(dir, "no tensor named '" + key + "'");
        }
        return f.readFloats(key);
    }

    public Optional<ElectraConfig> config() {
        return readConfig(dir);
    }

    /** {@code dir/config.json}, if there is one (whatever it is: a FIFO or a folder by that name is an error). */
    public static Optional<ElectraConfig> readConfig(Path dir) {
        Path config = dir.resolve("config.json");
        return Files.exists(config) ? Optional.of(ElectraConfig.read(config)) : Optional.empty();
    }

    @Override
    public void close() {
        files.forEach(WeightFile::close);
    }
}
