package io.electraconvert.cli;

import io.electraconvert.hf.config.ElectraConfig;
import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.hf.json.JsonMappers;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.electraconvert.verify.model.ElectraModel;
import io.electraconvert.verify.model.ModelFolder;
import io.electraconvert.hf.schema.HeadKind;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.model.ModelOutput;
import io.electraconvert.verify.model.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code forward DIR --inputs FILE.json}: the Java forward pass of any ELECTRA folder (every head transformers has)
 * on given ids, as JSON, for pipelines that compare runtimes or score batches.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Run the built-in forward pass of a HuggingFace ELECTRA folder (any head: PreTraining, MaskedLM, "
                + "Sequence/Token classification, QuestionAnswering, MultipleChoice, or a bare ElectraModel) on token ids "
                + "and print the outputs as a JSON document (docs/json.md): {\"architecture\", \"outputs\": {name: nested "
                + "array}, \"hidden_states\"?}.",
                "FILE.json holds \"input_ids\" ([batch][seq], or [batch][choices][seq] for multiple choice) and optionally "
                + "\"token_type_ids\" and \"attention_mask\" of the same shape (default 0 and 1, as transformers does); "
                + "- reads it from standard input."},
        footer = {"", "Examples:", "  electra-convert forward out/disc --inputs batch.json --hidden-states > outputs.json",
                "  echo '{\"input_ids\": [[2, 7, 3]]}' | electra-convert forward out/disc --inputs -"})
final class ForwardCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "A HuggingFace ELECTRA model folder.")
    Path dir;

    @Option(names = "--inputs", required = true, paramLabel = "FILE.json", description = "Token ids (see above).")
    Path inputs;

    @Option(names = "--hidden-states", description = "Also print every layer's hidden states (entry 0 = embeddings).")
    boolean hiddenStates;

    @Mixin
    FolderFormatOption format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ModelFolder folder = ModelFolder.open(dir);
        HeadKind head = folder.head();
        ModelInput input = readInputs(inputs, head == HeadKind.MULTIPLE_CHOICE);
        checkRanges(inputs, input, folder.config());
        ElectraModel model = folder.load(format.get());
        ModelOutput output = model.forward(input);
        PrintWriter out = spec.commandLine().getOut();
        try (JsonGenerator json = JsonMappers.PLAIN.getFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartObject();
            JsonKind.FORWARD_OUTPUTS.start(json);
            json.writeStringField("architecture", head.architecture());
            json.writeObjectFieldStart("outputs");
            for (Map.Entry<String, Tensor> e : output.logits().entrySet()) {
                json.writeFieldName(e.getKey());
                writeNested(json, e.getValue(), 0, 0);
            }
            json.writeEndObject();
            if (hiddenStates) {
                json.writeArrayFieldStart("hidden_states");
                for (Tensor t : output.hiddenStates()) {
                    writeNested(json, t, 0, 0);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        out.println();
        out.flush();
        return ExitCodes.OK;
    }

    /** Writes {@code t} from element {@code offset} as nested arrays, dimension {@code dim} outward. */
    private static int writeNested(JsonGenerator json, Tensor t, int dim, int offset) throws IOException {
        int[] shape = t.shape();
        json.writeStartArray();
        if (dim == shape.length - 1) {
            for (int i = 0; i < shape[dim]; i++) {
                json.writeNumber(t.data()[offset + i]);
            }
            offset += shape[dim];
        } else {
            for (int i = 0; i < shape[dim]; i++) {
                offset = writeNested(json, t, dim + 1, offset);
            }
        }
        json.writeEndArray();
        return offset;
    }

    private static ModelInput readInputs(Path file, boolean choices) {
        JsonNode root;
        try {
            root = JsonMappers.PLAIN.readTree(InputFiles.readUtf8(file, "inputs file", InputFiles.SMALL_TEXT_BYTES));
        } catch (IOException e) {
            throw new BadInputException(file, "inputs file is not valid JSON");
        }
        if (root == null || !root.has("input_ids")) {
            throw new BadInputException(file, "needs an \"input_ids\" array");
        }
        int rank = choices ? 3 : 2;
        List<Integer> shape = new ArrayList<>();
        int[] ids = flatten(file, "input_ids", root.get("input_ids"), rank, shape);
        int[] types = root.has("token_type_ids") ? flatten(file, "token_type_ids", root.get("token_type_ids"), rank, new ArrayList<>(shape))
                : new int[ids.length];
        int[] mask = new int[ids.length];
        java.util.Arrays.fill(mask, 1);
        if (root.has("attention_mask")) {
            mask = flatten(file, "attention_mask", root.get("attention_mask"), rank, new ArrayList<>(shape));
        }
        return new ModelInput(shape.stream().mapToInt(Integer::intValue).toArray(), ids, types, mask);
    }

    /** Ids the model cannot take are the inputs file's fault: say so before the forward pass meets them. */
    private static void checkRanges(Path file, ModelInput input, ElectraConfig config) {
        if (input.sequenceLength() > config.maxPositionEmbeddings()) {
            throw new BadInputException(file, "sequences of " + input.sequenceLength()
                    + " tokens are longer than the model's max_position_embeddings " + config.maxPositionEmbeddings());
        }
        checkBelow(file, "input_ids", input.inputIds(), config.vocabSize(), "vocab_size is " + config.vocabSize());
        checkBelow(file, "token_type_ids", input.tokenTypeIds(), config.typeVocabSize(),
                "type_vocab_size is " + config.typeVocabSize());
        checkBelow(file, "attention_mask", input.attentionMask(), 2, "attention_mask holds only 0 or 1");
    }

    private static void checkBelow(Path file, String name, int[] values, int limit, String why) {
        for (int v : values) {
            if (v >= limit) {
                throw new BadInputException(file, name + " holds " + v + " but the model's " + why);
            }
        }
    }

    /**
     * Flattens a rectangular integer array of the given rank. {@code shape} is filled on first use and checked after.
     */
    private static int[] flatten(Path file, String name, JsonNode node, int rank, List<Integer> shape) {
        boolean fill = shape.isEmpty();
        List<Integer> values = new ArrayList<>();
        collect(file, name, node, 0, rank, shape, fill, values);
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void collect(Path file, String name, JsonNode node, int dim, int rank, List<Integer> shape, boolean fill,
                                List<Integer> values) {
        if (dim == rank) {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
                throw new BadInputException(file, name + " must hold non-negative integers, found " + node);
            }
            values.add(node.asInt());
            return;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new BadInputException(file, name + " must be a non-empty " + rank + "-dimensional array");
        }
        if (fill && shape.size() == dim) {
            shape.add(node.size());
        } else if (shape.get(dim) != node.size()) {
            throw new BadInputException(file, name + " is not rectangular or does not match input_ids' shape " + shape);
        }
        for (JsonNode child : node) {
            collect(file, name, child, dim + 1, rank, shape, fill, values);
        }
    }
}
