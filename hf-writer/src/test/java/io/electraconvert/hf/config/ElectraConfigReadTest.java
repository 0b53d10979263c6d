package io.electraconvert.hf.config;

import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json values are checked the way transformers uses them, each failure one line naming the file. */
class ElectraConfigReadTest {
    @TempDir
    Path tmp;

    @Test
    void valuesTransformersWouldRejectAreNamed() throws Exception {
        String[][] cases = {
                {"{\"hidden_act\": \"banana\"}", "hidden_act \"banana\" is not an activation transformers knows"},
                {"{\"hidden_act\": 5}", "hidden_act must be a string, got 5"},
                {"{\"hidden_size\": 32, \"num_attention_heads\": 3}", "hidden_size 32 is not a multiple of num_attention_heads 3"},
                {"{\"hidden_size\": 0}", "hidden_size must be a positive integer, got 0"},
                {"{\"vocab_size\": 1.5}", "vocab_size must be a positive integer, got 1.5"},
                {"{\"layer_norm_eps\": -1}", "layer_norm_eps must be a positive number, got -1"},
                {"{\"architectures\": \"ElectraModel\"}", "architectures must be a list of class names, got \"ElectraModel\""},
                {"{\"model_type\": \"bert\"}", "model_type is 'bert', not 'electra'"},
                {"[1]", "not a JSON object"},
        };
        for (String[] c : cases) {
            Path file = Files.writeString(tmp.resolve("config.json"), c[0]);
            BadInputException e = assertThrows(BadInputException.class, () -> ElectraConfig.read(file), c[0]);
            assertEquals(file + ": " + c[1], e.getMessage());
        }
    }

    @Test
    void everyActivationTransformersKnowsIsAccepted() throws Exception {
        for (String act : ElectraConfig.TRANSFORMERS_ACTIVATIONS) {
            Path file = Files.writeString(tmp.resolve("config.json"), "{\"hidden_act\": \"" + act + "\"}");
            assertEquals(act, ElectraConfig.read(file).hiddenAct());
        }
    }
}
