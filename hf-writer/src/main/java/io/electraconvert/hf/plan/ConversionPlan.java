package io.electraconvert.hf.plan;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfLayout;
import io.electraconvert.hf.schema.TfSource;
import io.electraconvert.hf.schema.TfVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversion of one network, every checkpoint variable accounted for: the schema's tensors in output order, each
 * fed by checkpoint variables the {@link TfLayout} names, and the variables left out, each with its reason.
 */
public record ConversionPlan(ElectraNetwork network, ElectraConfig config, TfLayout layout, List<SchemaTensor> tensors,
                             List<DroppedVariable> dropped) {
    public ConversionPlan {
        tensors = List.copyOf(tensors);
        dropped = List.copyOf(dropped);
    }

    public ConversionPlan withConfig(ElectraConfig newConfig) {
        return new ConversionPlan(network, newConfig, layout, tensors, dropped);
    }

    public ConversionPlan withLayout(TfLayout newLayout) {
        return new ConversionPlan(network, config, newLayout, tensors, dropped);
    }

    public ConversionPlan withTensors(List<SchemaTensor> newTensors) {
        return new ConversionPlan(network, config, layout, newTensors, dropped);
    }

    /** The checkpoint's name of a schema variable. */
    public String tfName(TfVariable variable) {
        return layout.name(variable);
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
