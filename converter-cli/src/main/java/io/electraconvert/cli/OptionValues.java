package io.electraconvert.cli;

import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.electra.ModelChoice;
import io.electraconvert.hf.formats.WeightsFormats;
import io.electraconvert.hf.weights.WeightsFormat;
import io.electraconvert.tensor.DType;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters for option values with a range: a value outside it is a usage error (exit 2), like a typo. And the
 * values options take, for help texts ({@code ${COMPLETION-CANDIDATES}}) and shell completion, spelled as they are
 * typed (lower case), from where the toolkit defines them (an enum option's values are its constants'
 * {@code toString()}, e.g. {@code ElectraNetwork}'s).
 */
final class OptionValues {
    private OptionValues() {}

    /** The weight formats of the registry, {@code safetensors} first. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return WeightsFormats.all().stream().map(WeightsFormat::name).iterator();
        }
    }

    /** What {@code --model} converts or verifies: the two networks, the body, a fine-tuned task's head. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Stream.concat(Arrays.stream(ElectraNetwork.values()).map(ElectraNetwork::cliName),
                    Stream.of(ModelChoice.body().cliName(), ModelChoice.task().cliName())).iterator();
        }
    }

    /** The element types a conversion writes: {@code float32}, {@code float16}, {@code bfloat16}. */
    static final class OutputDtypeNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(DType.values()).filter(DType::isOutputType).map(DType::torchName).iterator();
        }
    }

    /** One format of the registry, by name. */
    static final class FormatName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return WeightsFormats.byName(value).map(WeightsFormat::name).orElseThrow(() -> new TypeConversionException(
                    "unknown format '" + value + "' (expected " + String.join(", ", new FormatNames()) + ")"));
        }
    }

    static final class NonNegativeNumber implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v;
            try {
                v = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number");
            }
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new TypeConversionException("expected a finite number >= 0, got '" + value + "'");
            }
            return v;
        }
    }

    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v;
            try {
                v = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (v < 1) {
                throw new TypeConversionException("expected a whole number >= 1, got '" + value + "'");
            }
            return v;
        }
    }
}
