package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.convert.ConversionRequest;
import io.electraconvert.hf.convert.ElectraConverter;
import io.electraconvert.hf.electra.ElectraNetwork;
import io.electraconvert.hf.plan.ConversionPlan;
import io.electraconvert.hf.schema.SchemaTensor;
import io.electraconvert.hf.schema.TfLayout;
import io.electraconvert.hf.schema.TfSource;
import io.electraconvert.hf.weights.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof is independent of the mapping: a mistake planted in the converter's plan (not in its output bytes) still
 * fails {@code verify}, because verify reads the checkpoint through its own transcription of google-research/electra.
 * Were verify to reuse the converter's mapping, each of these conversions would "verify" against itself.
 */
class PlantedMappingMistakeTest {
    @TempDir
    Path tmp;

    @Test
    void queryAndKeySwappedInTheMappingFailAtLayer0() throws Exception {
        Path out = convertWith("small", ElectraNetwork.DISCRIMINATOR, plan -> swapSources(plan,
                "electra.encoder.layer.0.attention.self.query.weight", "electra.encoder.layer.0.attention.self.key.weight"));
        assertParityFailure(ConvertedFolders.verify("small", "discriminator", out), "hidden_states[1] (encoder layer 0)");
    }

    @Test
    void aSquareKernelCopiedInsteadOfTransposedFailsAtItsLayer() throws Exception {
        String key = "electra.encoder.layer.1.attention.output.dense.weight"; // [32, 32]: same shape either way
        Path out = convertWith("small", ElectraNetwork.DISCRIMINATOR, plan -> replace(plan, key,
                source -> new TfSource.Copy(((TfSource.Transpose) source).variable())));
        assertParityFailure(ConvertedFolders.verify("small", "discriminator", out), "hidden_states[2] (encoder layer 1)");
    }

    @Test
    void generatorFedFromTheDiscriminatorTowerFailsAtTheEmbeddings() throws Exception {
        // released: generator_hidden_size 1.0, so electra/ and generator/ have the same shapes and the plan converts;
        // the tower scope holds embeddings_project, so the first wrong output is the projected embeddings
        Path out = convertWith("released", ElectraNetwork.GENERATOR, plan -> plan.withLayout(
                new TfLayout(plan.layout().embeddings(), "electra/", plan.layout().head())));
        assertParityFailure(ConvertedFolders.verify("released", "generator", out), "hidden_states[0] (embeddings)");
    }

    @Test
    void theUneditedPlanVerifies() throws Exception {
        Path out = convertWith("released", ElectraNetwork.GENERATOR, UnaryOperator.identity());
        CliRun run = ConvertedFolders.verify("released", "generator", out);
        assertEquals(ExitCodes.OK, run.exitCode(), run.out() + run.err());
    }

    private Path convertWith(String fixture, ElectraNetwork network, UnaryOperator<ConversionPlan> planEdit) throws Exception {
        Path out = tmp.resolve(fixture + "-" + network.cliName());
        ConversionRequest request = ConversionRequest.of(CliRun.fixture(fixture), network, out)
                .withHparams(CliRun.fixture(fixture).resolve("hparams.json"));
        ElectraConverter.convert(request, ProgressListener.NONE, planEdit);
        return out;
    }

    private static ConversionPlan swapSources(ConversionPlan plan, String a, String b) {
        TfSource sourceA = source(plan, a);
        TfSource sourceB = source(plan, b);
        return replace(replace(plan, a, s -> sourceB), b, s -> sourceA);
    }

    private static TfSource source(ConversionPlan plan, String key) {
        return plan.tensors().stream().filter(t -> t.key().equals(key)).findFirst().orElseThrow().source();
    }

    private static ConversionPlan replace(ConversionPlan plan, String key, UnaryOperator<TfSource> edit) {
        List<SchemaTensor> tensors = new ArrayList<>();
        boolean found = false;
        for (SchemaTensor t : plan.tensors()) {
            if (t.key().equals(key)) {
                tensors.add(new SchemaTensor(key, t.shape(), edit.apply(t.source())));
                found = true;
            } else {
                tensors.add(t);
            }
        }
        assertTrue(found, key + " in the plan");
        return plan.withTensors(tensors);
    }

    private static void assertParityFailure(CliRun run, String culprit) {
        assertEquals(ExitCodes.PARITY_FAILURE, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().startsWith("electra-convert: parity failure: "), run.err());
        assertTrue(run.err().contains(culprit), "'" + culprit + "' in: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }
}
