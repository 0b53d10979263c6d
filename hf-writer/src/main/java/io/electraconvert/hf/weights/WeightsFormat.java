package io.electraconvert.hf.weights;

import io.electraconvert.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A HuggingFace weight-file format: how it names its files, what it can hold, its writer and its reader. Writers
 * write the tensors of one shard into one file; {@link ShardPlan} decides the shards and the index file that names
 * them. A format is one package beside {@code formats.safetensors}, registered in {@code formats.WeightsFormats}.
 */
public interface WeightsFormat {
    /** The {@code --format} name: {@code safetensors}, {@code pytorch} or {@code tf}. */
    String name();

    /** One line for help texts, e.g. {@code model.safetensors, what transformers loads first}. */
    String description();

    /** File name of an unsharded model, e.g. {@code model.safetensors}. */
    String singleFileName();

    /** Whether {@code --max-shard-size} applies (transformers shards safetensors and .bin with an index file). */
    boolean shardable();

    /** Whether {@link #writeFile} streams the tensors' payloads in list order, so a source may read ahead. */
    boolean streamsInOrder();

    /** Writes {@code tensors} (one shard) to {@code file}, pulling each payload only when it is written. */
    void writeFile(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException;

    /** Opens one file of this format for reading, validating it as the format's reference reader would. */
    WeightFile open(Path file);

    /** The sharded weights' index file, e.g. {@code model.safetensors.index.json}. */
    default String indexFileName() {
        return singleFileName() + ".index.json";
    }

    /** Whether a file of a model folder is one this format writes: the single file, a shard or the shards' index. */
    default boolean writes(String fileName) {
        String single = singleFileName();
        int dot = single.lastIndexOf('.');
        String stem = single.substring(0, dot);
        String ext = single.substring(dot);
        return fileName.equals(single) || fileName.equals(indexFileName())
                || fileName.length() == stem.length() + 15 + ext.length() && fileName.startsWith(stem + "-")
                && fileName.endsWith(ext) && fileName.substring(stem.length(), stem.length() + 15).matches("-\\d{5}-of-\\d{5}");
    }

    static String shardFileName(String singleFileName, int shard, int shards) {
        int dot = singleFileName.lastIndexOf('.');
        String stem = singleFileName.substring(0, dot);
        String ext = singleFileName.substring(dot);
        return String.format(Locale.ROOT, "%s-%05d-of-%05d%s", stem, shard + 1, shards, ext);
    }
}
