package io.electraconvert.verify.weights;

import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.folder.HfModelFolder;
import io.electraconvert.hf.weights.StoredTensor;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link WeightSource} over a HuggingFace model folder in any weight format hf-writer reads (safetensors, sharded
 * or not, pytorch_model.bin, tf_model.h5); half-precision tensors are widened to float32 exactly.
 */
public final class HfFolderWeightSource implements WeightSource {
    private final HfModelFolder folder;

    private HfFolderWeightSource(HfModelFolder folder) {
        this.folder = folder;
    }

    /** The weights transformers would load from {@code dir}, or those of {@code format} when given. */
    public static HfFolderWeightSource open(Path dir, Optional<String> format) {
        return new HfFolderWeightSource(HfModelFolder.open(dir, format));
    }

    public static HfFolderWeightSource open(Path dir) {
        return open(dir, Optional.empty());
    }

    public HfModelFolder folder() {
        return folder;
    }

    @Override
    public Set<String> keys() {
        return folder.tensors().keySet();
    }

    @Override
    public long[] shape(String hfKey) {
        requireKey(hfKey);
        return folder.tensors().get(hfKey).shape();
    }

    @Override
    public Path fileOf(String hfKey) {
        StoredTensor t = folder.tensors().get(hfKey);
        return t == null ? folder.dir() : folder.dir().resolve(t.file());
    }

    @Override
    public float[] floats(String hfKey) {
        requireKey(hfKey);
        return folder.readFloats(hfKey);
    }

    private void requireKey(String hfKey) {
        if (!folder.tensors().containsKey(hfKey)) {
            throw new BadInputException(folder.dir(), "no tensor " + hfKey + " in " + folder.description() + " weights");
        }
    }

    @Override
    public void close() {
        folder.close();
    }
}
