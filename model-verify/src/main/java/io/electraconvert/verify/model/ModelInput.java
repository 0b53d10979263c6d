package io.electraconvert.verify.model;

import io.electraconvert.error.BadInputException;
import java.util.Arrays;

/**
 * Token ids with their token types and attention mask, row-major over {@code shape}: {@code [batch, seq]}, or
 * {@code [batch, choices, seq]} for multiple choice (flattened to {@code batch·choices} sequences as HF does).
 */
public record ModelInput(int[] shape, int[] inputIds, int[] tokenTypeIds, int[] attentionMask) {

    public ModelInput {
        if (shape.length < 2 || shape.length > 3) {
            throw new BadInputException("input: shape " + Arrays.toString(shape) + " is neither [B,T] nor [B,C,T]");
        }
        int count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (inputIds.length != count || tokenTypeIds.length != count || attentionMask.length != count) {
            throw new BadInputException("input: ids/types/mask lengths " + inputIds.length + "/" + tokenTypeIds.length
                    + "/" + attentionMask.length + " do not match shape " + Arrays.toString(shape));
        }
    }

    /** Input with all token types 0 and no padding, as HF defaults them. */
    public static ModelInput of(int[] shape, int[] inputIds) {
        int[] ones = new int[inputIds.length];
        Arrays.fill(ones, 1);
        return new ModelInput(shape, inputIds, new int[inputIds.length], ones);
    }

    /** Sequences the encoder sees: every dimension but the last multiplied out. */
    public int sequences() {
        return inputIds.length / sequenceLength();
    }

    public int sequenceLength() {
        return shape[shape.length - 1];
    }
}
