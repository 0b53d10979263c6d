package io.electraconvert.hf.weights;

import io.electraconvert.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A HuggingFace weight-file format: how it names its files, whether it shards, its writer and its reader. Writers
 * write the tensors of one shard into one file; {@link ShardPlan} decides the shards and the index file that names
 * them. A format is one package beside {@code formats.safetensors} whose {@code FORMAT} constant is one line of the
 * registry, {@code formats.WeightsFormats}.
 *
 * @param name           the {@code --format} name: {@code safetensors}, {@code pytorch} or {@code tf}
 * @param description    one line for help texts
 * @param singleFileName the file of an unsharded model, e.g. {@code model.safetensors}
 * @param shardable      whether {@code --max-shard-size} applies (transformers shards safetensors and .bin)
 * @param streamsInOrder whether the writer asks for the tensors' payloads in list order, so a source may read ahead
 */
public record WeightsFormat(String name, String description, String singleFileName, boolean shardable,
                            boolean streamsInOrder, Writer writer, Reader reader) {
    /** Writes {@code tensors} (one shard) to {@code file}, pulling each payload only when it is written. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException;
    }

    /** Opens one file of the format, validating it as the format's reference reader would. */
    @FunctionalInterface
    public interface Reader {
        WeightFile open(Path file);
    }

    public void writeFile(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException {
        writer.write(file, tensors, dtype, progress);
    }

    public WeightFile open(Path file) {
        return reader.open(file);
    }

    /** The sharded weights' index file, e.g. {@code model.safetensors.index.json}. */
    public String indexFileName() {
        return singleFileName + ".index.json";
    }

    /** Whether a file of a model folder is one this format writes: the single file, a shard or the shards' index. */
    public boolean writes(String fileName) {
        int dot = singleFileName.lastIndexOf('.');
        String stem = singleFileName.substring(0, dot);
        String ext = singleFileName.substring(dot);
        return fileName.equals(singleFileName) || fileName.equals(indexFileName())
                || fileName.length() == stem.length() + 15 + ext.length() && fileName.startsWith(stem + "-")
                && fileName.endsWith(ext) && fileName.substring(stem.length(), stem.length() + 15).matches("-\\d{5}-of-\\d{5}");
    }

    public static String shardFileName(String singleFileName, int shard, int shards) {
        int dot = singleFileName.lastIndexOf('.');
        String stem = singleFileName.substring(0, dot);
        String ext = singleFileName.substring(dot);
        return String.format(Locale.ROOT, "%s-%05d-of-%05d%s", stem, shard + 1, shards, ext);
    }
}
