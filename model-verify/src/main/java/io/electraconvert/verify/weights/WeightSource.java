package io.electraconvert.verify.weights;

import io.electraconvert.error.BadInputException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Named float tensors in HuggingFace PyTorch orientation (a Linear weight is {@code [out, in]}), keyed by HF
 * state-dict key. Head models use the {@code electra.} prefix on backbone keys; base-model folders don't
 * ({@link io.electraconvert.verify.model.ElectraWeights} accepts both).
 */
public interface WeightSource extends AutoCloseable {

    Set<String> keys();

    /** The tensor's shape; throws {@link BadInputException} for an unknown key. */
    long[] shape(String hfKey);

    /** The file holding {@code hfKey}, or the folder or checkpoint it should be in; null for weights in memory. */
    Path fileOf(String hfKey);

    /** The tensor's values, row-major float32. */
    float[] floats(String hfKey);

    /** Narrowed so that in-memory and file-backed sources can be closed without a checked exception. */
    @Override
    void close();
}
