package io.electraconvert.verify.bench;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.verify.kernels.MatMul;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.weights.InMemoryWeightSource;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

/**
 * Times the forward pass of an ELECTRA-shaped discriminator (random weights) on random ids, as
 * {@code bench/torch_forward.py} does in PyTorch. Arguments: model ({@code base} or {@code small}, the shapes of
 * google/electra-{base,small}-discriminator), batch, sequence length, warm-up runs, timed runs.
 */
public final class ForwardBenchmark {
    private ForwardBenchmark() {}

    public static void main(String[] args) {
        String name = args[0];
        int batch = Integer.parseInt(args[1]);
        int seq = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        ElectraConfig config = switch (name) {
            case "base" -> discriminator(768, 768, 12, 3072);
            case "small" -> discriminator(128, 256, 4, 1024);
            default -> throw new IllegalArgumentException("model must be base or small, not " + name);
        };
        ElectraModel model = ElectraModel.load(config, randomWeights(config, new Random(7)), HeadKind.PRETRAINING);
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
        System.out.printf("java forward %s %dx%d (%s, %d threads): median %.2f ms, best %.2f ms, worst %.2f ms over %d runs%n",
                name, batch, seq, MatMul.kernel().getClass().getSimpleName(),
                ForkJoinPool.getCommonPoolParallelism() + 1, median(millis), millis[0], millis[runs - 1], runs);
    }

    private static ElectraConfig discriminator(int embedding, int hidden, int heads, int intermediate) {
        return ElectraConfig.ofSizes(List.of("ElectraForPreTraining"), 30522, embedding, hidden, 12, heads, intermediate,
                "gelu", 512, 2);
    }

    /** As Python's statistics.median: the mean of the middle two for an even count. */
    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
        if (e != h) {
            putLinear(w, random, "electra.embeddings_project", h, e);
        }
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
