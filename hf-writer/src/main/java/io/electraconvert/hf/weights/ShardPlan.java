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

/**
 * How tensors are split into files, the way huggingface_hub's {@code split_torch_state_dict_into_shards} does:
 * greedy in state-dict order, a new shard when the next tensor would exceed the limit, a tensor larger than the
 * limit alone in its shard. One shard means the plain file name and no index.
 */
public record ShardPlan(List<List<OutputTensor>> shards, long totalBytes) {
    /** {@link #parseSize}'s units, in the order transformers tries them. */
    private static final List<Map.Entry<String, Long>> UNITS = List.of(Map.entry("GIB", 1L << 30), Map.entry("MIB", 1L << 20),
            Map.entry("KIB", 1L << 10), Map.entry("GB", 1_000_000_000L), Map.entry("MB", 1_000_000L), Map.entry("KB", 1_000L));

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

    /**
     * Parses a shard size as transformers' {@code convert_file_size_to_int} does, so that a value means here what it
     * means to {@code save_pretrained(max_shard_size=...)}: an integer followed by {@code GiB}, {@code MiB} or
     * {@code KiB} (powers of 1024) or by {@code GB}, {@code MB} or {@code KB} (powers of 1000), in any case, except
     * that a final lower-case {@code b} means bits, as there ({@code 8Mb} and {@code 8mb} are 1,000,000 bytes); or a
     * bare integer, a number of bytes (what {@code save_pretrained} takes as an {@code int}). The integer is read as
     * Python's {@code int()} reads it: blanks around it, a leading {@code +}, {@code _} between digits; no fractions
     * and no {@code TB}, which transformers refuses too. Unlike there, the size must come out positive.
     */
    public static long parseSize(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        long bytes = integer(text);
        if (bytes < 0) {
            for (Map.Entry<String, Long> unit : UNITS) {
                if (upper.endsWith(unit.getKey())) {
                    long value = integer(text.substring(0, text.length() - unit.getKey().length()));
                    if (value >= 0) {
                        try {
                            bytes = Math.multiplyExact(value, unit.getValue());
                        } catch (ArithmeticException e) {
                            throw new IllegalArgumentException("shard size '" + text + "' is too large");
                        }
                        boolean bits = !unit.getKey().endsWith("IB") && text.endsWith("b");
                        bytes = bits ? bytes / 8 : bytes;
                    }
                    break; // transformers tries no other unit once one matched
                }
            }
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("invalid size '" + text + "' (expected an integer and a unit, as transformers "
                    + "reads them: 200MB, 5GB, 512MiB, 2GiB; or a number of bytes)");
        }
        if (bytes == 0) {
            throw new IllegalArgumentException("shard size must be positive, got '" + text + "'");
        }
        return bytes;
    }

    /**
     * A non-negative integer as Python's {@code int(str)} reads it (blanks around it, an optional {@code +}, any
     * Unicode decimal digits, single {@code _} between digits), or -1 when it is not one (or exceeds a long).
     */
    private static long integer(String text) {
        String t = text.strip();
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__")) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < t.length(); ) {
            int c = t.codePointAt(i);
            i += Character.charCount(c);
            if (c == '_') {
                continue;
            }
            int digit = Character.digit(c, 10);
            if (digit < 0 || !Character.isDigit(c)) {
                return -1;
            }
            if (value > (Long.MAX_VALUE - digit) / 10) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }
}
