package io.electraconvert.hf.schema;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.hf.schema.TfSource.Copy;
import io.electraconvert.hf.schema.TfSource.GeluPairProjection;
import io.electraconvert.hf.schema.TfSource.GeluPairs;
import io.electraconvert.hf.schema.TfSource.None;
import io.electraconvert.hf.schema.TfSource.Rows;
import io.electraconvert.hf.schema.TfSource.Transpose;
import io.electraconvert.hf.schema.TfSource.Zeros;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one statement of what an HF ELECTRA model holds: for a config and a head, every tensor of the state dict
 * (key, shape) in the order a conversion writes them (transformers' module order), and which variable of a
 * google-research/electra checkpoint feeds it and how. The converter's plan, the Keras h5 layout, the folder
 * validator and the forward pass's loader of HF folders all iterate it. The tied {@code generator_lm_head.weight}
 * is not listed: like {@code save_pretrained}, nothing stores it (see {@link #TIED_KEYS}).
 *
 * <p><b>Adding a head.</b> Add its {@link HeadKind}, a case in {@link #tensors} listing its tensors with their
 * shapes and TF sources (variables under {@link TfVariable.Scope#HEAD}, the scope the checkpoint's layout names
 * for that head), and its forward-pass class in {@code io.electraconvert.verify.model} (with its transcription of
 * the original head in {@code io.electraconvert.verify.original}). Nothing else lists keys.
 */
public final class ElectraSchema {
    /** Keys transformers ties to another tensor, which are not stored: HF key -> the key it shares values with. */
    public static final Map<String, String> TIED_KEYS = Map.of(
            "generator_lm_head.weight", "electra.embeddings.word_embeddings.weight");

    private ElectraSchema() {}

    /** Every stored tensor of {@code head} for {@code config}. */
    public static List<SchemaTensor> tensors(ElectraConfig c, HeadKind head) {
        List<SchemaTensor> t = new ArrayList<>();
        body(t, c, head.bodyPrefix());
        long h = c.hiddenSize();
        long e = c.embeddingSize();
        long labels = c.numLabels();
        switch (head) {
            case BODY -> { }
            case PRETRAINING -> {
                linear(t, "discriminator_predictions.dense", h, h, "dense");
                linear(t, "discriminator_predictions.dense_prediction", 1, h, "dense_1");
            }
            case MASKED_LM -> {
                linear(t, "generator_predictions.dense", e, h, "dense");
                layerNorm(t, "generator_predictions.LayerNorm", e, TfVariable.head("LayerNorm/"));
                t.add(new SchemaTensor("generator_lm_head.bias", new long[] {c.vocabSize()},
                        new Copy(TfVariable.head("output_bias"))));
            }
            case SEQUENCE_CLASSIFICATION -> {
                t.add(new SchemaTensor("classifier.dense.weight", new long[] {h, h}, new GeluPairs(TfVariable.head("dense/kernel"))));
                t.add(new SchemaTensor("classifier.dense.bias", new long[] {h}, new Zeros()));
                t.add(new SchemaTensor("classifier.out_proj.weight", new long[] {labels, h}, new GeluPairProjection()));
                t.add(new SchemaTensor("classifier.out_proj.bias", new long[] {labels}, new Copy(TfVariable.head("dense/bias"))));
            }
            case TOKEN_CLASSIFICATION -> linear(t, "classifier", labels, h, "dense");
            case QUESTION_ANSWERING -> {
                t.add(new SchemaTensor("qa_outputs.weight", new long[] {2, h}, new Rows(List.of(
                        new Transpose(TfVariable.head("dense/kernel")), new Transpose(TfVariable.head("dense_1/kernel"))))));
                t.add(new SchemaTensor("qa_outputs.bias", new long[] {2}, new Rows(List.of(
                        new Copy(TfVariable.head("dense/bias")), new Copy(TfVariable.head("dense_1/bias"))))));
            }
            case MULTIPLE_CHOICE -> {
                t.add(new SchemaTensor("sequence_summary.summary.weight", new long[] {h, h}, new None()));
                t.add(new SchemaTensor("sequence_summary.summary.bias", new long[] {h}, new None()));
                t.add(new SchemaTensor("classifier.weight", new long[] {1, h}, new None()));
                t.add(new SchemaTensor("classifier.bias", new long[] {1}, new None()));
            }
        }
        return List.copyOf(t);
    }

    /** The top-level modules of a head's state dict, e.g. {@code electra} and {@code discriminator_predictions}. */
    public static Set<String> topModules(HeadKind head) {
        Set<String> modules = new LinkedHashSet<>();
        tensors(ElectraConfig.defaults(), head).forEach(t -> modules.add(t.key().substring(0, t.key().indexOf('.'))));
        TIED_KEYS.keySet().stream().filter(k -> head == HeadKind.MASKED_LM).forEach(k -> modules.add(k.substring(0, k.indexOf('.'))));
        return modules;
    }

    /** Key -> shape, in order. */
    public static Map<String, long[]> shapes(ElectraConfig config, HeadKind head) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors(config, head).forEach(t -> shapes.put(t.key(), t.shape()));
        return shapes;
    }

    /** {@code ElectraEmbeddings}, {@code embeddings_project} when E != H, then the encoder layers. */
    private static void body(List<SchemaTensor> t, ElectraConfig c, String prefix) {
        long e = c.embeddingSize();
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        String emb = prefix + "embeddings.";
        t.add(new SchemaTensor(emb + "word_embeddings.weight", new long[] {c.vocabSize(), e},
                new Copy(TfVariable.embeddings("word_embeddings"))));
        t.add(new SchemaTensor(emb + "position_embeddings.weight", new long[] {c.maxPositionEmbeddings(), e},
                new Copy(TfVariable.embeddings("position_embeddings"))));
        t.add(new SchemaTensor(emb + "token_type_embeddings.weight", new long[] {c.typeVocabSize(), e},
                new Copy(TfVariable.embeddings("token_type_embeddings"))));
        layerNorm(t, emb + "LayerNorm", e, TfVariable.embeddings("LayerNorm/"));
        if (c.hasEmbeddingsProject()) {
            linear(t, prefix + "embeddings_project", h, e, TfVariable.tower("embeddings_project/"));
        }
        for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
            String p = prefix + "encoder.layer." + layer + ".";
            String tf = "encoder/layer_" + layer + "/";
            linear(t, p + "attention.self.query", h, h, TfVariable.tower(tf + "attention/self/query/"));
            linear(t, p + "attention.self.key", h, h, TfVariable.tower(tf + "attention/self/key/"));
            linear(t, p + "attention.self.value", h, h, TfVariable.tower(tf + "attention/self/value/"));
            linear(t, p + "attention.output.dense", h, h, TfVariable.tower(tf + "attention/output/dense/"));
            layerNorm(t, p + "attention.output.LayerNorm", h, TfVariable.tower(tf + "attention/output/LayerNorm/"));
            linear(t, p + "intermediate.dense", i, h, TfVariable.tower(tf + "intermediate/dense/"));
            linear(t, p + "output.dense", h, i, TfVariable.tower(tf + "output/dense/"));
            layerNorm(t, p + "output.LayerNorm", h, TfVariable.tower(tf + "output/LayerNorm/"));
        }
    }

    /** An {@code nn.Linear} from a TF dense layer of the head ({@code <layer>/kernel}, {@code <layer>/bias}). */
    private static void linear(List<SchemaTensor> t, String module, long out, long in, String headLayer) {
        linear(t, module, out, in, TfVariable.head(headLayer + "/"));
    }

    /** An {@code nn.Linear} {@code [out, in]} from the TF dense layer whose variables start with {@code layer}. */
    private static void linear(List<SchemaTensor> t, String module, long out, long in, TfVariable layer) {
        t.add(new SchemaTensor(module + ".weight", new long[] {out, in},
                new Transpose(new TfVariable(layer.scope(), layer.name() + "kernel"))));
        t.add(new SchemaTensor(module + ".bias", new long[] {out}, new Copy(new TfVariable(layer.scope(), layer.name() + "bias"))));
    }

    /** An {@code nn.LayerNorm} from TF's {@code <scope>gamma} and {@code <scope>beta}. */
    private static void layerNorm(List<SchemaTensor> t, String module, long width, TfVariable scope) {
        t.add(new SchemaTensor(module + ".weight", new long[] {width}, new Copy(new TfVariable(scope.scope(), scope.name() + "gamma"))));
        t.add(new SchemaTensor(module + ".bias", new long[] {width}, new Copy(new TfVariable(scope.scope(), scope.name() + "beta"))));
    }
}
