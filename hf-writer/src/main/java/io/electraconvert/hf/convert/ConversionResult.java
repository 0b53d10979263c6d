package io.electraconvert.hf.convert;

import io.electraconvert.hf.electra.ConfigProvenance;
import io.electraconvert.hf.plan.ConversionPlan;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a conversion wrote: the plan it followed, the files in {@code out}, the files of a previous output there that
 * it replaced or removed, the bytes of tensor data in each weight format (every format holds the same tensors; the
 * files add their headers), and for float16/bfloat16 output the largest rounding error of each tensor (empty for
 * float32).
 */
public record ConversionResult(ConversionPlan plan, Path out, List<String> files, List<String> replacedFiles,
                               long tensorBytesPerFormat, Map<String, Double> maxRoundingErrors) {
    public ConversionResult {
        files = List.copyOf(files);
        replacedFiles = List.copyOf(replacedFiles);
        maxRoundingErrors = Collections.unmodifiableMap(new LinkedHashMap<>(maxRoundingErrors));
    }

    /** Where each value of the written config came from; {@link ConfigProvenance#unverified()} lists guesses. */
    public ConfigProvenance provenance() {
        return plan.provenance();
    }
}
