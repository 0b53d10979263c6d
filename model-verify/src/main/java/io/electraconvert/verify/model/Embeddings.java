package io.electraconvert.verify.model;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.kernels.MatMulKernel;

/**
 * {@code ElectraEmbeddings} then {@code embeddings_project}: {@code LN_E(word[id] + type[tt] + position[t])}, projected
 * E→H when the embedding size differs from the hidden size.
 */
final class Embeddings {
    static final String WORD_EMBEDDINGS = "embeddings.word_embeddings.weight";

    private final ElectraConfig config;
    private final float[] word; // [V, E]
    private final float[] position; // [P, E]
    private final float[] tokenType; // [typeVocab, E]
    private final LayerNormWeights norm;
    private final Linear projection; // E→H, or null when E == H
    private final MatMulKernel kernel;

    Embeddings(ElectraConfig config, ElectraWeights weights, MatMulKernel kernel) {
        int e = config.embeddingSize();
        this.config = config;
        this.word = weights.body(WORD_EMBEDDINGS);
        this.position = weights.body("embeddings.position_embeddings.weight");
        this.tokenType = weights.body("embeddings.token_type_embeddings.weight");
        this.norm = LayerNormWeights.body(weights, "embeddings.LayerNorm", (float) config.layerNormEps());
        this.projection = e == config.hiddenSize()
                ? null
                : Linear.body(weights, "embeddings_project", config.hiddenSize(), e, kernel);
        this.kernel = kernel;
    }

    float[] wordEmbeddings() {
        return word;
    }

    /** Rows {@code [sequences·seq, H]}. */
    float[] apply(ModelInput input) {
        int seq = input.sequenceLength();
        if (seq > config.maxPositionEmbeddings()) {
            throw new BadInputException("input: sequence length " + seq + " exceeds max_position_embeddings "
                    + config.maxPositionEmbeddings());
        }
        int e = config.embeddingSize();
        int rows = input.inputIds().length;
        float[] x = new float[rows * e];
        for (int row = 0; row < rows; row++) {
            int id = checkedIndex(input.inputIds()[row], config.vocabSize(), "input id");
            int type = checkedIndex(input.tokenTypeIds()[row], config.typeVocabSize(), "token type id");
            int wordBase = id * e;
            int typeBase = type * e;
            int positionBase = (row % seq) * e;
            int out = row * e;
            for (int i = 0; i < e; i++) {
                // same association as transformers: (word + type) + position
                x[out + i] = word[wordBase + i] + tokenType[typeBase + i] + position[positionBase + i];
            }
        }
        norm.applyInPlace(x, rows, kernel.rowKernels());
        return projection == null ? x : projection.apply(x, rows);
    }

    private static int checkedIndex(int value, int size, String what) {
        if (value < 0 || value >= size) {
            throw new BadInputException("input: " + what + " " + value + " outside [0, " + size + ")");
        }
        return value;
    }
}
