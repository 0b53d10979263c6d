package io.electraconvert.hf.tokenizer;

import io.electraconvert.hf.json.JsonMappers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer files of an uncased ELECTRA/BERT WordPiece model: {@code vocab.txt}, {@code tokenizer.json}
 * (the {@code tokenizers} library's serialization, which transformers 5 and DJL need), {@code tokenizer_config.json}
 * (names the class, so {@code AutoTokenizer} works) and {@code special_tokens_map.json}.
 */
public final class TokenizerFiles {
    /** Every file {@link #write} writes. */
    public static final List<String> NAMES = List.of("vocab.txt", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json");

    private TokenizerFiles() {}

    public static void write(Vocabulary vocab, int modelMaxLength, Path dir) throws IOException {
        Files.writeString(dir.resolve("vocab.txt"), String.join("\n", vocab.tokens()) + "\n");
        JsonMappers.PRETTY.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizerJson(vocab));
        JsonMappers.PRETTY.writeValue(dir.resolve("tokenizer_config.json").toFile(), tokenizerConfig(vocab, modelMaxLength));
        JsonMappers.PRETTY.writeValue(dir.resolve("special_tokens_map.json").toFile(), specialTokensMap());
    }

    private static ObjectNode specialTokensMap() {
        ObjectNode n = JsonMappers.PRETTY.createObjectNode();
        n.put("cls_token", "[CLS]");
        n.put("mask_token", "[MASK]");
        n.put("pad_token", "[PAD]");
        n.put("sep_token", "[SEP]");
        n.put("unk_token", "[UNK]");
        return n;
    }

    private static ObjectNode tokenizerConfig(Vocabulary vocab, int modelMaxLength) {
        ObjectNode n = JsonMappers.PRETTY.createObjectNode();
        ObjectNode decoder = n.putObject("added_tokens_decoder");
        for (String special : Vocabulary.SPECIAL_TOKENS) {
            ObjectNode t = decoder.putObject(Integer.toString(vocab.requiredId(special)));
            t.put("content", special).put("lstrip", false).put("normalized", false).put("rstrip", false)
                    .put("single_word", false).put("special", true);
        }
        n.put("clean_up_tokenization_spaces", true);
        n.put("do_basic_tokenize", true);
        n.put("do_lower_case", true);
        n.put("model_max_length", modelMaxLength);
        n.putNull("never_split");
        n.putNull("strip_accents");
        n.put("tokenize_chinese_chars", true);
        n.put("tokenizer_class", "ElectraTokenizer");
        n.setAll(specialTokensMap());
        return n;
    }

    private static ObjectNode tokenizerJson(Vocabulary vocab) {
        ObjectNode root = JsonMappers.PRETTY.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String special : Vocabulary.SPECIAL_TOKENS) {
            added.addObject().put("id", vocab.requiredId(special)).put("content", special).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true)
                .put("handle_chinese_chars", true).putNull("strip_accents").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        special(single, "[CLS]", 0);
        sequence(single, "A", 0);
        special(single, "[SEP]", 0);
        ArrayNode pair = post.putArray("pair");
        special(pair, "[CLS]", 0);
        sequence(pair, "A", 0);
        special(pair, "[SEP]", 0);
        sequence(pair, "B", 1);
        special(pair, "[SEP]", 1);
        ObjectNode specials = post.putObject("special_tokens");
        for (String token : new String[] {"[CLS]", "[SEP]"}) {
            ObjectNode s = specials.putObject(token);
            s.put("id", token);
            s.putArray("ids").add(vocab.requiredId(token));
            s.putArray("tokens").add(token);
        }
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece").put("unk_token", "[UNK]").put("continuing_subword_prefix", "##")
                .put("max_input_chars_per_word", 100);
        ObjectNode ids = model.putObject("vocab");
        vocab.requireUsableForTokenizerFiles().forEach(ids::put);
        return root;
    }

    private static void special(ArrayNode template, String token, int typeId) {
        template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
    }

    private static void sequence(ArrayNode template, String id, int typeId) {
        template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
    }
}
