package io.electraconvert.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for option values with a range: a value outside it is a usage error (exit 2), like a typo. */
final class OptionValues {
    private OptionValues() {}

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
