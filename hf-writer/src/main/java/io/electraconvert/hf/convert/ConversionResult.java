package io.electraconvert.hf.convert;

import io.electraconvert.hf.mapping.ConversionPlan;
import java.nio.file.Path;
import java.util.List;

/** What a conversion wrote: the plan it followed, the files in {@code out}, and the tensor bytes. */
public record ConversionResult(ConversionPlan plan, Path out, List<String> files, long tensorBytes) {
    public ConversionResult {
        files = List.copyOf(files);
    }
}
