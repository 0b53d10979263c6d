package io.electraconvert.hf.plan;

import io.electraconvert.hf.electra.DroppedVariable;
import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.electra.ConfigProvenance;
import io.electraconvert.hf.electra.ModelLayout;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfLayout;
import io.electraconvert.hf.schema.TfSource;
import io.electraconvert.hf.schema.TfVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversion of one choice, every checkpoint variable accounted for: the schema's tensors in output order, each
 * fed by checkpoint variables the model's {@link TfLayout} names, and the variables left out, each with its reason.
 */
public record ConversionPlan(ModelLayout model, List<SchemaTensor> tensors, List<DroppedVariable> dropped) {
    public ConversionPlan {
        tensors = List.copyOf(tensors);
        dropped = List.copyOf(dropped);
    }

    /** The config the conversion writes. */
    public ElectraConfig config() {
        return model.config();
    }

    /** Where each config value came from. */
    public ConfigProvenance provenance() {
        return model.provenance();
    }

    public TfLayout layout() {
        return model.tf();
    }

    public ConversionPlan withConfig(ElectraConfig newConfig) {
        return new ConversionPlan(model.withConfig(newConfig, model.provenance()), tensors, dropped);
    }

    public ConversionPlan withLayout(TfLayout newLayout) {
        return new ConversionPlan(model.withTf(newLayout), tensors, dropped);
    }

    public ConversionPlan withTensors(List<SchemaTensor> newTensors) {
        return new ConversionPlan(model, newTensors, dropped);
    }

    /** The checkpoint's name of a schema variable. */
    public String tfName(TfVariable variable) {
        return model.tf().name(variable);
    }

    /** The checkpoint variables a source reads, by their checkpoint names, in order. */
    public List<String> variables(TfSource source) {
        List<String> names = new ArrayList<>();
        if (source instanceof TfSource.Copy c) {
            names.add(tfName(c.variable()));
        } else if (source instanceof TfSource.Transpose t) {
            names.add(tfName(t.variable()));
        } else if (source instanceof TfSource.Rows r) {
            r.parts().forEach(p -> names.addAll(variables(p)));
        } else if (source instanceof TfSource.GeluPairs g) {
            names.add(tfName(g.kernel()));
        } // GeluPairProjection, Zeros and None read nothing
        return names;
    }
}
