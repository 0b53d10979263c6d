package io.electraconvert.verify.original;

import io.electraconvert.error.BadInputException;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A checkpoint's variables by their google-research/electra names, read as float32 when a stage needs them. */
public final class OriginalCheckpoint implements AutoCloseable {
    private final TfCheckpoint checkpoint;

    private OriginalCheckpoint(TfCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    public static OriginalCheckpoint open(Path checkpoint) {
        return new OriginalCheckpoint(TfCheckpoint.open(checkpoint));
    }

    public TfCheckpoint checkpoint() {
        return checkpoint;
    }

    public Path indexFile() {
        return checkpoint.indexFile();
    }

    public boolean has(String name) {
        return checkpoint.find(name).isPresent();
    }

    /** The fine-tuning tasks whose heads the checkpoint holds: the X of every {@code task_specific/X/dense/kernel}. */
    public List<String> tasks() {
        return checkpoint.tensors().stream().map(TensorInfo::name)
                .filter(n -> n.startsWith("task_specific/") && n.endsWith("/dense/kernel"))
                .map(n -> n.substring("task_specific/".length(), n.length() - "/dense/kernel".length()))
                .filter(t -> !t.contains("/")).sorted().toList();
    }

    public Optional<long[]> shape(String name) {
        return checkpoint.find(name).map(TensorInfo::shape);
    }

    /** The variable, which must exist with {@code shape}. */
    public float[] read(String name, long... shape) {
        TensorInfo info = checkpoint.find(name).orElseThrow(() -> new BadInputException(indexFile(),
                "the original model needs variable '" + name + "', which the checkpoint does not have"));
        if (!Arrays.equals(info.shape(), shape)) {
            throw new BadInputException(indexFile(), "variable '" + name + "' has shape " + Arrays.toString(info.shape())
                    + " where the original model needs " + Arrays.toString(shape));
        }
        return checkpoint.readFloats(name);
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
