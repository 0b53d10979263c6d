package io.electraconvert.hf.weights;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.json.JsonMappers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How tensors are split into files, the way huggingface_hub's {@code split_torch_state_dict_into_shards} does:
 * greedy in state-dict order, a new shard when the next tensor would exceed the limit, a tensor larger than the
 * limit alone in its shard. One shard means the plain file name and no index.
 */
public record ShardPlan(List<List<OutputTensor>> shards, long totalBytes) {
    private static final Pattern SIZE = Pattern.compile("^(\\d+(?:\\.\\d+)?)\\s*(TB|GB|MB|KB|GIB|MIB|KIB|B)?$",
            Pattern.CASE_INSENSITIVE);
    public static ShardPlan single(List<OutputTensor> tensors, DType dtype) {
        return new ShardPlan(List.of(List.copyOf(tensors)), bytes(tensors, dtype));
    }

    public static ShardPlan split(List<OutputTensor> tensors, DType dtype, long maxShardBytes) {
        List<List<OutputTensor>> shards = new ArrayList<>();
        List<OutputTensor> current = new ArrayList<>();
        long currentBytes = 0;
        for (OutputTensor t : tensors) {
            long size = t.numElements() * dtype.byteSize();
            if (!current.isEmpty() && currentBytes + size > maxShardBytes) {
                shards.add(List.copyOf(current));
                current.clear();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += size;
        }
        if (!current.isEmpty() || shards.isEmpty()) {
            shards.add(List.copyOf(current));
        }
        return new ShardPlan(List.copyOf(shards), bytes(tensors, dtype));
    }

    private static long bytes(List<OutputTensor> tensors, DType dtype) {
        return tensors.stream().mapToLong(t -> t.numElements() * dtype.byteSize()).sum();
    }

    public boolean sharded() {
        return shards.size() > 1;
    }

    public String fileName(WeightsFormat format, int shard) {
        return sharded() ? WeightsFormat.shardFileName(format.singleFileName(), shard, shards.size()) : format.singleFileName();
    }

    /** {@code model.safetensors.index.json} / {@code pytorch_model.bin.index.json} contents: metadata + weight_map. */
    public String indexJson(WeightsFormat format) throws IOException {
        ObjectNode root = JsonMappers.PRETTY_SORTED.createObjectNode();
        long parameters = shards.stream().flatMap(List::stream).mapToLong(OutputTensor::numElements).sum();
        root.putObject("metadata").put("total_parameters", parameters).put("total_size", totalBytes);
        Map<String, String> weightMap = new TreeMap<>();
        for (int i = 0; i < shards.size(); i++) {
            for (OutputTensor t : shards.get(i)) {
                weightMap.put(t.name(), fileName(format, i));
            }
        }
        root.set("weight_map", JsonMappers.PRETTY_SORTED.valueToTree(weightMap));
        return JsonMappers.PRETTY_SORTED.writeValueAsString(root) + "\n";
    }

    public static String indexFileName(WeightsFormat format) {
        return format.singleFileName() + ".index.json";
    }

    /**
     * Parses {@code 200MB}, {@code 5GB}, {@code 1.5GB}, {@code 4096}: decimal units, as huggingface_hub's
     * {@code parse_size_to_int} (what {@code save_pretrained} uses); and {@code 40KiB}, {@code 1MiB}, {@code 2GiB}:
     * binary units, as transformers' {@code convert_file_size_to_int}.
     */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text + "' (expected e.g. 200MB, 5GB, 40KiB or a byte count)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long scale = switch (unit) {
            case "TB" -> 1_000_000_000_000L;
            case "GB" -> 1_000_000_000L;
            case "MB" -> 1_000_000L;
            case "KB" -> 1_000L;
            case "GIB" -> 1L << 30;
            case "MIB" -> 1L << 20;
            case "KIB" -> 1L << 10;
            default -> 1L;
        };
        long bytes = (long) (value * scale);
        if (bytes <= 0) {
            throw new IllegalArgumentException("shard size must be positive, got '" + text + "'");
        }
        return bytes;
    }
}
