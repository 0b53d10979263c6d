package io.electraconvert.verify.parity;

import io.electraconvert.error.BadInputException;
import io.electraconvert.verify.model.ModelInput;
import io.electraconvert.verify.tokenizer.Encoding;
import io.electraconvert.verify.tokenizer.WordPieceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The deterministic inputs a verification runs both models on: a seeded random batch of three sequences padded to
 * different lengths with both token types, one random sequence of every position the model has, and a sentence
 * tokenized with the folder's vocabulary when it has one.
 */
public final class InputBattery {
    public static final String DEFAULT_TEXT = "the quick brown fox jumps over the lazy dog.";
    private static final long SEED = 0x5EED_E1EC7L;

    /** One input, named for reports. */
    public record Case(String name, ModelInput input) {}

    private InputBattery() {}

    /**
     * @param vocab the folder's {@code vocab.txt}, if any; {@code text} needs one
     */
    public static List<Case> of(int vocabSize, int typeVocabSize, int maxPositions, Optional<Path> vocab,
            Optional<String> text) {
        if (text.isPresent() && vocab.isEmpty()) {
            throw new BadInputException("a text to verify on needs the folder's vocab.txt, which it does not have");
        }
        Random random = new Random(SEED);
        boolean twoTypes = typeVocabSize >= 2;
        int t = Math.min(16, maxPositions);
        int batch = 3;
        int[] ids = new int[batch * t];
        int[] types = new int[batch * t];
        int[] mask = new int[batch * t];
        int[] lengths = {t, Math.max(1, 2 * t / 3), Math.max(1, t / 3)};
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < lengths[b]; i++) {
                ids[b * t + i] = randomId(random, vocabSize);
                types[b * t + i] = twoTypes && i >= lengths[b] / 2 ? 1 : 0;
                mask[b * t + i] = 1;
            }
        }
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("random[" + batch + "x" + t + "] (padded to " + lengths[0] + "/" + lengths[1] + "/"
                + lengths[2] + ", token types 0/1)", new ModelInput(new int[] {batch, t}, ids, types, mask)));
        int[] longIds = new int[maxPositions];
        int[] longTypes = new int[maxPositions];
        int[] longMask = new int[maxPositions];
        for (int i = 0; i < maxPositions; i++) {
            longIds[i] = randomId(random, vocabSize);
            longTypes[i] = twoTypes && i >= maxPositions / 2 ? 1 : 0;
            longMask[i] = 1;
        }
        cases.add(new Case("max-length[1x" + maxPositions + "]",
                new ModelInput(new int[] {1, maxPositions}, longIds, longTypes, longMask)));
        if (vocab.isPresent()) {
            String sentence = text.orElse(DEFAULT_TEXT);
            WordPieceTokenizer tokenizer = WordPieceTokenizer.uncased(vocab.get());
            Encoding enc = tokenizer.encode(sentence);
            int n = Math.min(enc.ids().length, maxPositions);
            int[] textIds = Arrays.copyOf(enc.ids(), n);
            for (int id : textIds) {
                if (id >= vocabSize) {
                    throw new BadInputException(vocab.get(), "token id " + id + " is outside the model's vocabulary of "
                            + vocabSize);
                }
            }
            int[] textTypes = twoTypes ? Arrays.copyOf(enc.typeIds(), n) : new int[n];
            cases.add(new Case("text[1x" + n + "] \"" + abbreviate(sentence) + "\"",
                    new ModelInput(new int[] {1, n}, textIds, textTypes, Arrays.copyOf(enc.attentionMask(), n))));
        }
        return List.copyOf(cases);
    }

    private static int randomId(Random random, int vocabSize) {
        return vocabSize > 1 ? 1 + random.nextInt(vocabSize - 1) : 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
