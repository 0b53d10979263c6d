package io.electraconvert.verify.parity;

import io.electraconvert.verify.model.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * How far a converted model's tensor is from the original's on one input. An element passes when
 * {@code |converted - original| <= tolerance * max(1, |original|)}: absolute near zero, relative for large values;
 * {@code maxRelDiff} is that left side divided by {@code max(1, |original|)}.
 *
 * @param tensor        {@code hidden_states[i]} (0: the embeddings' output, i: encoder layer i-1's) or a head
 *                      output ({@code logits}, {@code start_logits}, ...)
 * @param shapeMismatch the two tensors differ in shape (or one is missing), which always fails; null otherwise
 */
public record TensorComparison(String tensor, String input, double maxAbsDiff, double maxRelDiff, double cosine,
                               boolean pass, String shapeMismatch) {

    public static TensorComparison of(String tensor, String input, Tensor original, Tensor converted, double tolerance) {
        if (original == null || converted == null) {
            return mismatch(tensor, input, (original == null ? "missing in the original" : "missing in the converted model"));
        }
        if (!Arrays.equals(original.shape(), converted.shape())) {
            return mismatch(tensor, input, "shape " + Arrays.toString(converted.shape()) + " in the converted model, "
                    + Arrays.toString(original.shape()) + " in the original");
        }
        float[] a = original.data();
        float[] b = converted.data();
        double maxAbs = 0;
        double maxRel = 0;
        double dot = 0;
        double na = 0;
        double nb = 0;
        boolean finite = true;
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            double d = Math.abs(y - x);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                finite = false;
                continue;
            }
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(1.0, Math.abs(x)));
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        double cosine = na == 0 && nb == 0 ? 1.0 : na == 0 || nb == 0 ? 0.0 : dot / Math.sqrt(na * nb);
        if (!finite) {
            maxAbs = Double.NaN;
            maxRel = Double.NaN;
        }
        return new TensorComparison(tensor, input, maxAbs, maxRel, cosine, finite && maxRel <= tolerance, null);
    }

    /** Parts of one tensor compared piece by piece, as one: the largest differences, the smallest cosine. */
    public static TensorComparison worst(String tensor, String input, List<TensorComparison> parts) {
        double maxAbs = 0;
        double maxRel = 0;
        double cosine = 1;
        boolean pass = true;
        for (TensorComparison c : parts) {
            if (c.shapeMismatch() != null) {
                return mismatch(tensor, input, c.shapeMismatch());
            }
            maxAbs = Double.isNaN(c.maxAbsDiff()) || Double.isNaN(maxAbs) ? Double.NaN : Math.max(maxAbs, c.maxAbsDiff());
            maxRel = Double.isNaN(c.maxRelDiff()) || Double.isNaN(maxRel) ? Double.NaN : Math.max(maxRel, c.maxRelDiff());
            cosine = Math.min(cosine, c.cosine());
            pass &= c.pass();
        }
        return new TensorComparison(tensor, input, maxAbs, maxRel, cosine, pass, null);
    }

    public static TensorComparison mismatch(String tensor, String input, String why) {
        return new TensorComparison(tensor, input, Double.NaN, Double.NaN, Double.NaN, false, why);
    }
}
