package io.electraconvert.verify.bench;

import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.model.ElectraConfig;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.verify.model.HeadType;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.weights.InMemoryWeightSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

/**
 * Times the forward pass of an ELECTRA-base-shaped discriminator (random weights) on random ids.
 * Arguments: batch (8), sequence length (128), warm-up runs (3), timed runs (10).
 */
public final class ForwardBenchmark {
    private ForwardBenchmark() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seq = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        ElectraConfig config = new ElectraConfig(Optional.of("ElectraForPreTraining"), 30522, 768, 768, 12, 12, 3072,
                "gelu", 512, 2, 1e-12f, 2, "gelu");
        ElectraModel model = ElectraModel.load(config, randomWeights(config, new Random(7)), HeadType.PRE_TRAINING);
        Random random = new Random(11);
        int[] ids = random.ints(batch * seq, 1000, config.vocabSize()).toArray();
        ModelInput input = ModelInput.of(new int[] {batch, seq}, ids);
        for (int i = 0; i < warmups; i++) {
            model.forward(input);
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            model.forward(input);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("java forward %dx%d (%s): median %.1f ms, best %.1f ms, worst %.1f ms over %d runs%n", batch,
                seq, MatMul.kernel().getClass().getSimpleName(), millis[runs / 2], millis[0], millis[runs - 1], runs);
    }

    private static InMemoryWeightSource randomWeights(ElectraConfig c, Random random) {
        int e = c.embeddingSize();
        int h = c.hiddenSize();
        int in = c.intermediateSize();
        InMemoryWeightSource w = new InMemoryWeightSource();
        put(w, random, "electra.embeddings.word_embeddings.weight", c.vocabSize(), e);
        put(w, random, "electra.embeddings.position_embeddings.weight", c.maxPositionEmbeddings(), e);
        put(w, random, "electra.embeddings.token_type_embeddings.weight", c.typeVocabSize(), e);
        putNorm(w, "electra.embeddings.LayerNorm", e);
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "electra.encoder.layer." + i + ".";
            for (String part : new String[] {"attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense"}) {
                putLinear(w, random, p + part, h, h);
            }
            putNorm(w, p + "attention.output.LayerNorm", h);
            putLinear(w, random, p + "intermediate.dense", in, h);
            putLinear(w, random, p + "output.dense", h, in);
            putNorm(w, p + "output.LayerNorm", h);
        }
        putLinear(w, random, "discriminator_predictions.dense", h, h);
        putLinear(w, random, "discriminator_predictions.dense_prediction", 1, h);
        return w;
    }

    private static void putLinear(InMemoryWeightSource w, Random random, String module, int out, int in) {
        put(w, random, module + ".weight", out, in);
        put(w, random, module + ".bias", out);
    }

    private static void putNorm(InMemoryWeightSource w, String module, int width) {
        float[] ones = new float[width];
        Arrays.fill(ones, 1f);
        w.put(module + ".weight", ones, width);
        w.put(module + ".bias", new float[width], width);
    }

    private static void put(InMemoryWeightSource w, Random random, String key, int... shape) {
        int count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02); // transformers' initializer_range
        }
        w.put(key, values, Arrays.stream(shape).asLongStream().toArray());
    }
}
