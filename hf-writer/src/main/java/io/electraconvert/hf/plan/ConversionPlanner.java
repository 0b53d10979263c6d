package io.electraconvert.hf.plan;

import io.electraconvert.hf.electra.DroppedVariable;
import io.electraconvert.error.BadInputException;
import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.hf.electra.ElectraCheckpointModel;
import io.electraconvert.hf.electra.ModelLayout;
import io.electraconvert.hf.electra.TensorShapes;
import io.electraconvert.hf.schema.ElectraSchema;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans the conversion of one choice: every tensor of the {@link ElectraSchema} for its config is fed from the
 * checkpoint variables its source names (each present, with the shape the config implies), and every other
 * variable is dropped for the reason the {@link ElectraCheckpointModel} gives (transformers'
 * {@code load_tf_weights_in_electra}, minus its silent skips). An unknown variable is an error, and so is a schema
 * tensor no variable feeds.
 */
public final class ConversionPlanner {
    private ConversionPlanner() {}

    public static ConversionPlan plan(ElectraCheckpointModel model, ModelLayout layout) {
        TensorShapes shapes = model.shapes();
        List<SchemaTensor> tensors = ElectraSchema.tensors(layout.config(), layout.head());
        ConversionPlan plan = new ConversionPlan(layout, tensors, List.of());
        Set<String> used = new HashSet<>();
        for (SchemaTensor t : tensors) {
            check(shapes, plan, t, t.source(), t.shape());
            used.addAll(plan.variables(t.source()));
        }
        List<DroppedVariable> dropped = new ArrayList<>();
        for (String name : shapes.names()) {
            if (used.contains(name)) {
                continue;
            }
            dropped.add(model.drop(name, layout).orElseThrow(() -> new UnsupportedInputException(shapes.source(),
                    "unknown variable '" + name + "': not part of the " + layout.choice().describe()
                            + " and not known to be safe to drop")));
        }
        return new ConversionPlan(layout, tensors, dropped);
    }

    /** The variables of {@code source} exist with the shapes that make {@code shape}. */
    private static void check(TensorShapes shapes, ConversionPlan plan, SchemaTensor tensor, TfSource source, long[] shape) {
        if (source instanceof TfSource.Copy c) {
            checkShape(shapes, plan, tensor, plan.tfName(c.variable()), shape, false);
        } else if (source instanceof TfSource.Transpose t) {
            checkShape(shapes, plan, tensor, plan.tfName(t.variable()), new long[] {shape[1], shape[0]}, true);
        } else if (source instanceof TfSource.Rows r) {
            long[] part = shape.clone();
            part[0] = shape[0] / r.parts().size();
            for (TfSource p : r.parts()) {
                check(shapes, plan, tensor, p, part);
            }
        } else if (source instanceof TfSource.GeluPairs g) {
            long labels = plan.config().numLabels();
            String kernel = plan.tfName(g.kernel());
            checkShape(shapes, plan, tensor, kernel, new long[] {shape[1], labels}, true);
            if (2 * labels > shape[0]) {
                throw new UnsupportedInputException(shapes.source(), "the " + plan.model().choice().describe() + " head "
                        + kernel + " " + Arrays.toString(new long[] {shape[1], labels}) + " has " + labels + " outputs; "
                        + "ElectraForSequenceClassification computes it exactly only with two hidden units per output "
                        + "(gelu(z) - gelu(-z) = z), 2 x " + labels + " <= hidden_size " + shape[0]
                        + ": convert the body with --model body");
            }
        } else if (source instanceof TfSource.None) {
            throw new UnsupportedInputException(shapes.source(), tensor.key() + " has no counterpart in a "
                    + "google-research/electra checkpoint");
        } // GeluPairProjection and Zeros are made, not read
    }

    private static void checkShape(TensorShapes shapes, ConversionPlan plan, SchemaTensor tensor, String variable,
            long[] expected, boolean kernel) {
        long[] actual = shapes.find(variable).orElseThrow(() -> new BadInputException(shapes.source(), "the "
                + plan.model().choice().describe() + " is incomplete: no variable provides " + tensor.key()
                + " (expected '" + variable + "')"));
        if (!Arrays.equals(actual, expected)) {
            throw new BadInputException(shapes.source(), "variable '" + variable + "' has shape " + Arrays.toString(actual)
                    + " but the " + plan.model().choice().describe() + " config needs " + Arrays.toString(expected)
                    + (kernel ? " (the transpose of " + tensor.key() + ")" : ""));
        }
    }
}
