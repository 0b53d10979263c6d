package io.electraconvert.verify.original;

import io.electraconvert.verify.kernels.Activation;
import io.electraconvert.verify.kernels.Attention;
import io.electraconvert.verify.kernels.LayerNorm;
import io.electraconvert.verify.kernels.MatMulKernel;
import io.electraconvert.verify.kernels.PackedMatrix;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.StagedModel;
import io.electraconvert.verify.model.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * google-research/electra's forward pass, stage by stage, with its weights read by its own variable names:
 * {@code modeling.BertModel} (embedding lookup, {@code embedding_postprocessor}, {@code embeddings_project},
 * {@code transformer_model}, {@code attention_layer} adding {@code -10000} for a padded key) and the heads of
 * {@code run_pretraining.py} and the fine-tuning tasks, each at inference (dropout off). Dense layers multiply by TF's
 * {@code [in, out]} kernels as stored.
 */
public final class OriginalElectra implements StagedModel {
    /** {@code attention_layer}: {@code adder = (1.0 - mask) * -10000.0}. */
    static final float MASKED = -10000f;

    private final OriginalCheckpoint checkpoint;
    private final OriginalNetwork network;
    private final OriginalConfig config;
    private final MatMulKernel kernel;
    private final Activation activation;

    public OriginalElectra(OriginalCheckpoint checkpoint, OriginalNetwork network, OriginalConfig config,
            MatMulKernel kernel) {
        this.checkpoint = checkpoint;
        this.network = network;
        this.config = config;
        this.kernel = kernel;
        this.activation = Activation.forName(config.hiddenAct());
    }

    @Override
    public int numLayers() {
        return config.numHiddenLayers();
    }

    /** {@code embedding_lookup} + {@code embedding_postprocessor} (word + token type, + position, LayerNorm), projected. */
    @Override
    public EmbeddingStage embeddings() {
        int v = config.vocabSize();
        int e = config.embeddingSize();
        String scope = network.embeddings();
        float[] word = checkpoint.read(scope + "word_embeddings", v, e);
        float[] type = checkpoint.read(scope + "token_type_embeddings", config.typeVocabSize(), e);
        float[] position = checkpoint.read(scope + "position_embeddings", config.maxPositionEmbeddings(), e);
        float[] gamma = checkpoint.read(scope + "LayerNorm/gamma", e);
        float[] beta = checkpoint.read(scope + "LayerNorm/beta", e);
        Dense project = e == config.hiddenSize() ? null : dense(network.tower() + "embeddings_project/", e, config.hiddenSize());
        return input -> {
            int rows = input.inputIds().length;
            int seq = input.sequenceLength();
            float[] x = new float[rows * e];
            for (int row = 0; row < rows; row++) {
                int w = input.inputIds()[row] * e;
                int t = input.tokenTypeIds()[row] * e;
                int p = (row % seq) * e;
                for (int i = 0; i < e; i++) {
                    x[row * e + i] = word[w + i] + type[t + i] + position[p + i];
                }
            }
            layerNorm(x, rows, gamma, beta);
            return project == null ? x : project.apply(x, rows);
        };
    }

    /** {@code transformer_model}'s layer {@code index}: attention, dense, residual, LayerNorm; intermediate; output. */
    @Override
    public List<float[]> layer(int index, List<float[]> hidden, List<ModelInput> inputs) {
        int h = config.hiddenSize();
        int in = config.intermediateSize();
        int heads = config.numAttentionHeads();
        String scope = network.tower() + "encoder/layer_" + index + "/";
        Dense qkv = queryKeyValue(scope + "attention/self/", h);
        Dense attentionOutput = dense(scope + "attention/output/dense/", h, h);
        float[] attentionGamma = checkpoint.read(scope + "attention/output/LayerNorm/gamma", h);
        float[] attentionBeta = checkpoint.read(scope + "attention/output/LayerNorm/beta", h);
        Dense intermediate = dense(scope + "intermediate/dense/", h, in);
        Dense output = dense(scope + "output/dense/", in, h);
        float[] outputGamma = checkpoint.read(scope + "output/LayerNorm/gamma", h);
        float[] outputBeta = checkpoint.read(scope + "output/LayerNorm/beta", h);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            ModelInput input = inputs.get(i);
            float[] x = hidden.get(i);
            int rows = input.inputIds().length;
            float[] context = Attention.apply(qkv.apply(x, rows), input.sequences(), input.sequenceLength(), heads,
                    h / heads, input.attentionMask(), MASKED, kernel);
            float[] attention = attentionOutput.apply(context, rows);
            add(attention, x);
            layerNorm(attention, rows, attentionGamma, attentionBeta);
            float[] inner = intermediate.apply(attention, rows);
            activation.applyInPlace(inner, kernel.rowKernels());
            float[] y = output.apply(inner, rows);
            add(y, attention);
            layerNorm(y, rows, outputGamma, outputBeta);
            out.add(y);
        }
        return out;
    }

    @Override
    public List<Map<String, Tensor>> head(List<float[]> hidden, List<ModelInput> inputs) {
        int h = config.hiddenSize();
        String scope = network.headScope();
        List<Map<String, Tensor>> out = new ArrayList<>();
        switch (network.head()) {
            case NONE -> inputs.forEach(i -> out.add(Map.of()));
            case DISCRIMINATOR -> {
                Dense dense = dense(scope + "dense/", h, h);
                Dense prediction = dense(scope + "dense_1/", h, 1);
                for (int i = 0; i < inputs.size(); i++) {
                    int rows = inputs.get(i).inputIds().length;
                    float[] x = dense.apply(hidden.get(i), rows);
                    activation.applyInPlace(x, kernel.rowKernels());
                    out.add(Map.of("logits", new Tensor(inputs.get(i).shape(), prediction.apply(x, rows))));
                }
            }
            case MASKED_LM -> {
                int e = config.embeddingSize();
                int v = config.vocabSize();
                Dense dense = dense(scope + "dense/", h, e);
                float[] gamma = checkpoint.read(scope + "LayerNorm/gamma", e);
                float[] beta = checkpoint.read(scope + "LayerNorm/beta", e);
                // logits = hidden · embedding_tableᵀ + output_bias: the table [V, E] is the product's transposed operand
                PackedMatrix table = kernel.packLinear(checkpoint.read(network.embeddings() + "word_embeddings", v, e),
                        checkpoint.read(scope + "output_bias", v), v, e);
                for (int i = 0; i < inputs.size(); i++) {
                    ModelInput input = inputs.get(i);
                    int rows = input.inputIds().length;
                    float[] x = dense.apply(hidden.get(i), rows);
                    activation.applyInPlace(x, kernel.rowKernels());
                    layerNorm(x, rows, gamma, beta);
                    float[] logits = new float[rows * v];
                    kernel.multiplyParallel(x, rows, table, logits);
                    out.add(Map.of("logits", new Tensor(new int[] {input.shape()[0], input.sequenceLength(), v}, logits)));
                }
            }
            case CLASSIFICATION, REGRESSION -> {
                int labels = config.numLabels();
                Dense dense = dense(scope + "dense/", h, labels);
                for (int i = 0; i < inputs.size(); i++) {
                    ModelInput input = inputs.get(i);
                    int sequences = input.sequences();
                    float[] first = new float[sequences * h];
                    for (int s = 0; s < sequences; s++) { // sequence_output[:, 0]
                        System.arraycopy(hidden.get(i), s * input.sequenceLength() * h, first, s * h, h);
                    }
                    out.add(Map.of("logits", new Tensor(new int[] {sequences, labels}, dense.apply(first, sequences))));
                }
            }
            case TAGGING -> {
                int labels = config.numLabels();
                Dense dense = dense(scope + "dense/", h, labels);
                for (int i = 0; i < inputs.size(); i++) {
                    ModelInput input = inputs.get(i);
                    out.add(Map.of("logits", new Tensor(new int[] {input.shape()[0], input.sequenceLength(), labels},
                            dense.apply(hidden.get(i), input.inputIds().length))));
                }
            }
            case SQUAD -> {
                Dense start = dense(scope + "dense/", h, 1);
                Dense end = dense(scope + "dense_1/", h, 1);
                for (int i = 0; i < inputs.size(); i++) {
                    ModelInput input = inputs.get(i);
                    int rows = input.inputIds().length;
                    // the logits before QATask adds 1000·(answer_mask - 1), which depends on the question's position
                    out.add(Map.of("start_logits", new Tensor(input.shape(), start.apply(hidden.get(i), rows)),
                            "end_logits", new Tensor(input.shape(), end.apply(hidden.get(i), rows))));
                }
            }
        }
        return out;
    }

    /** {@code tf.layers.dense} with the kernel {@code <scope>kernel [in, out]} and {@code <scope>bias [out]}. */
    private Dense dense(String scope, int in, int out) {
        return new Dense(kernel, PackedMatrix.ofDenseKernel(checkpoint.read(scope + "kernel", in, out),
                checkpoint.read(scope + "bias", out), in, out, kernel.panelWidth()));
    }

    /** The query, key and value dense layers side by side, one product: each output column is its layer's own. */
    private Dense queryKeyValue(String scope, int h) {
        float[] kernel3 = new float[h * 3 * h];
        float[] bias3 = new float[3 * h];
        String[] parts = {"query/", "key/", "value/"};
        for (int p = 0; p < 3; p++) {
            float[] k = checkpoint.read(scope + parts[p] + "kernel", h, h);
            for (int row = 0; row < h; row++) {
                System.arraycopy(k, row * h, kernel3, row * 3 * h + p * h, h);
            }
            System.arraycopy(checkpoint.read(scope + parts[p] + "bias", h), 0, bias3, p * h, h);
        }
        return new Dense(kernel, PackedMatrix.ofDenseKernel(kernel3, bias3, h, 3 * h, kernel.panelWidth()));
    }

    private void layerNorm(float[] x, int rows, float[] gamma, float[] beta) {
        LayerNorm.applyInPlace(x, rows, gamma.length, gamma, beta, (float) OriginalConfig.LAYER_NORM_EPS, kernel.rowKernels());
    }

    private static void add(float[] x, float[] residual) {
        for (int i = 0; i < x.length; i++) {
            x[i] += residual[i];
        }
    }

    /** {@code x · kernel + bias} over rows. */
    private record Dense(MatMulKernel kernel, PackedMatrix packed) {
        float[] apply(float[] x, int rows) {
            float[] y = new float[rows * packed.columns()];
            kernel.multiplyParallel(x, rows, packed, y);
            return y;
        }
    }
}
