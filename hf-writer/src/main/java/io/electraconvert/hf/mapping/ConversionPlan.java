package io.electraconvert.hf.mapping;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.electra.ElectraNetwork;
import java.util.List;

/** Every checkpoint variable accounted for: mapped (in HF module order) or dropped with a reason. */
public record ConversionPlan(ElectraNetwork network, ElectraConfig config, List<MappedVariable> mapped,
                             List<DroppedVariable> dropped) {
    public ConversionPlan {
        mapped = List.copyOf(mapped);
        dropped = List.copyOf(dropped);
    }
}
