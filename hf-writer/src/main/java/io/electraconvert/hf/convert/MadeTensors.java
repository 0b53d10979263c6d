package io.electraconvert.hf.convert;

import io.electraconvert.hf.io.TensorSource;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfSource;
import io.electraconvert.tfreader.TfCheckpoint;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The values of schema tensors that are not one stored variable: rows of several variables (QA's start and end
 * layers) and the exact GELU-pair construction of a classification head (see {@link TfSource.GeluPairs}).
 * Row-major float32 in PyTorch orientation.
 */
final class MadeTensors {
    private MadeTensors() {}

    static float[] values(TfCheckpoint checkpoint, ConversionPlan plan, SchemaTensor tensor) {
        return values(checkpoint, plan, tensor.source(), tensor.shape());
    }

    private static float[] values(TfCheckpoint checkpoint, ConversionPlan plan, TfSource source, long[] shape) {
        int count = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
        if (source instanceof TfSource.Copy c) {
            return read(checkpoint, plan.tfName(c.variable()), false);
        }
        if (source instanceof TfSource.Transpose t) {
            return read(checkpoint, plan.tfName(t.variable()), true);
        }
        float[] out = new float[count];
        if (source instanceof TfSource.Rows r) {
            long[] part = shape.clone();
            part[0] = shape[0] / r.parts().size();
            int at = 0;
            for (TfSource p : r.parts()) {
                float[] v = values(checkpoint, plan, p, part);
                System.arraycopy(v, 0, out, at, v.length);
                at += v.length;
            }
        } else if (source instanceof TfSource.GeluPairs g) {
            // rows 2j, 2j+1 = +w_j, -w_j where w_j is column j of the kernel [hidden, labels]
            float[] kernel = checkpoint.readFloats(plan.tfName(g.kernel()));
            int hidden = (int) shape[1];
            int labels = kernel.length / hidden;
            for (int j = 0; j < labels; j++) {
                for (int i = 0; i < hidden; i++) {
                    float w = kernel[i * labels + j];
                    out[(2 * j) * hidden + i] = w;
                    out[(2 * j + 1) * hidden + i] = -w;
                }
            }
        } else if (source instanceof TfSource.GeluPairProjection) {
            int hidden = (int) shape[1];
            for (int j = 0; j < shape[0]; j++) {
                out[j * hidden + 2 * j] = 1f;
                out[j * hidden + 2 * j + 1] = -1f;
            }
        } else if (!(source instanceof TfSource.Zeros)) {
            throw new IllegalArgumentException("no values for " + source); // the planner refused it already
        }
        return out;
    }

    private static float[] read(TfCheckpoint checkpoint, String variable, boolean transpose) {
        FloatBuffer values = new TensorSource(checkpoint.info(variable), transpose).float32(checkpoint)
                .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[values.remaining()];
        values.get(out);
        return out;
    }
}
