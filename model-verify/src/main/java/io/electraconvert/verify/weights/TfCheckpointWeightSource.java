package io.electraconvert.verify.weights;

import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.io.TensorSource;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.hf.mapping.ConversionPlan;
import io.electraconvert.hf.mapping.ElectraStateDict;
import io.electraconvert.hf.mapping.MappedVariable;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import io.electraconvert.verify.model.ElectraConfig;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link WeightSource} straight over a TensorFlow checkpoint, through a {@link ConversionPlan}: keys are the
 * plan's HF keys, shapes the TF shapes (reversed for transposed kernels) and values the HF-orientation float32 that
 * {@link CheckpointTensors#float32} produces for the converter. Nothing is written; values are read on demand.
 */
public final class TfCheckpointWeightSource implements WeightSource {
    private final TfCheckpoint checkpoint;
    private final ConversionPlan plan;
    private final boolean ownsCheckpoint;
    private final Map<String, MappedVariable> byKey;
    private final Map<String, long[]> shapes;

    private TfCheckpointWeightSource(TfCheckpoint checkpoint, ConversionPlan plan, boolean ownsCheckpoint) {
        this.checkpoint = checkpoint;
        this.plan = plan;
        this.ownsCheckpoint = ownsCheckpoint;
        Map<String, MappedVariable> map = new LinkedHashMap<>();
        for (MappedVariable m : plan.mapped()) {
            if (map.putIfAbsent(m.hfKey(), m) != null) {
                throw new BadInputException("conversion plan maps two variables to " + m.hfKey());
            }
        }
        this.byKey = Collections.unmodifiableMap(map);
        this.shapes = ElectraStateDict.expectedShapes(plan.config(), plan.network());
    }

    /** A source over an open checkpoint, which the caller keeps ownership of (closing this source leaves it open). */
    public static TfCheckpointWeightSource of(TfCheckpoint checkpoint, ConversionPlan plan) {
        return new TfCheckpointWeightSource(checkpoint, plan, false);
    }

    /** Opens {@code checkpoint} and plans {@code network}; closing the source closes the checkpoint. */
    public static TfCheckpointWeightSource open(Path checkpoint, ElectraNetwork network, Optional<Hparams> hparams) {
        TfCheckpoint ckpt = TfCheckpoint.open(checkpoint);
        try {
            return new TfCheckpointWeightSource(ckpt, ElectraConverter.plan(ckpt, network, hparams), true);
        } catch (RuntimeException e) {
            ckpt.close();
            throw e;
        }
    }

    public ConversionPlan plan() {
        return plan;
    }

    /** The plan's config (from the tensors and hparams) as the forward pass takes it; pretraining heads have no labels. */
    public ElectraConfig modelConfig() {
        return ElectraConfig.of(plan.config(), 2, "gelu");
    }

    @Override
    public Set<String> keys() {
        return byKey.keySet();
    }

    /** The HF shape, which the plan already checked every variable against. */
    @Override
    public long[] shape(String hfKey) {
        mapped(hfKey);
        return shapes.get(hfKey).clone();
    }

    @Override
    public Path fileOf(String hfKey) {
        return checkpoint.indexFile();
    }

    @Override
    public float[] floats(String hfKey) {
        MappedVariable m = mapped(hfKey);
        TensorInfo info = checkpoint.info(m.tfName());
        var bytes = new TensorSource(info, m.transpose()).float32(checkpoint).duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private MappedVariable mapped(String hfKey) {
        MappedVariable m = byKey.get(hfKey);
        if (m == null) {
            throw new BadInputException(checkpoint.indexFile(), "the conversion plan has no tensor " + hfKey);
        }
        return m;
    }

    @Override
    public void close() {
        if (ownsCheckpoint) {
            checkpoint.close();
        }
    }
}
