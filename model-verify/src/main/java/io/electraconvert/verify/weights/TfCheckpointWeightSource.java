package io.electraconvert.verify.weights;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.convert.MadeTensors;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.Hparams;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.tfreader.TfCheckpoint;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link WeightSource} straight over a TensorFlow checkpoint, through a {@link ConversionPlan}: keys are the
 * plan's HF keys and shapes, values the HF-orientation float32 the converter would write. Nothing is written;
 * values are read on demand.
 */
public final class TfCheckpointWeightSource implements WeightSource {
    private final TfCheckpoint checkpoint;
    private final ConversionPlan plan;
    private final boolean ownsCheckpoint;
    private final Map<String, SchemaTensor> byKey;

    private TfCheckpointWeightSource(TfCheckpoint checkpoint, ConversionPlan plan, boolean ownsCheckpoint) {
        this.checkpoint = checkpoint;
        this.plan = plan;
        this.ownsCheckpoint = ownsCheckpoint;
        Map<String, SchemaTensor> map = new LinkedHashMap<>();
        plan.tensors().forEach(t -> map.put(t.key(), t));
        this.byKey = Collections.unmodifiableMap(map);
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

    /** The plan's config (from the tensors and hparams) as the forward pass takes it. */
    public ElectraConfig modelConfig() {
        return plan.config();
    }

    @Override
    public Set<String> keys() {
        return byKey.keySet();
    }

    @Override
    public long[] shape(String hfKey) {
        return tensor(hfKey).shape();
    }

    @Override
    public Path fileOf(String hfKey) {
        return checkpoint.indexFile();
    }

    @Override
    public float[] floats(String hfKey) {
        return MadeTensors.values(checkpoint, plan, tensor(hfKey));
    }

    private SchemaTensor tensor(String hfKey) {
        SchemaTensor t = byKey.get(hfKey);
        if (t == null) {
            throw new BadInputException(checkpoint.indexFile(), "the conversion plan has no tensor " + hfKey);
        }
        return t;
    }

    @Override
    public void close() {
        if (ownsCheckpoint) {
            checkpoint.close();
        }
    }
}
