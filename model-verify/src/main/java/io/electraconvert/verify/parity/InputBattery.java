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
 * The deterministic inputs a verification runs both models on, each as deep as it adds coverage:
 * <ul>
 *   <li>a <em>vocabulary sweep</em> through the embeddings: every word id, every position and every token type at
 *       least once, so each row of the three embedding tables is compared (a single altered row shows);</li>
 *   <li>a seeded random batch of three sequences padded to different lengths with both token types, and a sentence
 *       tokenized with the folder's vocabulary when it has one, through every layer and the head;</li>
 *   <li>one random sequence of every position the model has, through the embeddings and encoder layer 0 (attention
 *       over the longest sequence).</li>
 * </ul>
 * Every weight of an encoder layer or a head takes part in every token's output, so a few tokens through the whole
 * depth exercise all of them; sending the sweep or the long sequence deeper would add time, not coverage.
 */
public final class InputBattery {
    public static final String DEFAULT_TEXT = "the quick brown fox jumps over the lazy dog.";
    /** The depth of a case that runs every encoder layer and the head. */
    public static final int ALL_LAYERS = Integer.MAX_VALUE;
    private static final long SEED = 0x5EED_E1EC7L;
    /** Floats of one sweep chunk's hidden states (16 MiB): memory stays flat whatever the vocabulary. */
    private static final long SWEEP_CHUNK_FLOATS = 4L << 20;

    /**
     * One input, named for reports.
     *
     * @param layers how many encoder layers it runs through; {@link #ALL_LAYERS}: all, then the head
     */
    public record Case(String name, ModelInput input, int layers) {
        public boolean throughHead() {
            return layers == ALL_LAYERS;
        }
    }

    /**
     * Every word id, position and token type, as sequences of every position, compared after the embeddings only.
     *
     * @param chunks the sweep's sequences in groups small enough to hold two of
     * @param shape  {@code [sequences, positions]} of the whole sweep
     */
    public record Sweep(String name, List<ModelInput> chunks, int[] shape) {
        public Sweep {
            chunks = List.copyOf(chunks);
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

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
                + lengths[2] + ", token types 0/1)", new ModelInput(new int[] {batch, t}, ids, types, mask), ALL_LAYERS));
        int[] longIds = new int[maxPositions];
        int[] longTypes = new int[maxPositions];
        int[] longMask = new int[maxPositions];
        for (int i = 0; i < maxPositions; i++) {
            longIds[i] = randomId(random, vocabSize);
            longTypes[i] = twoTypes && i >= maxPositions / 2 ? 1 : 0;
            longMask[i] = 1;
        }
        cases.add(new Case("max-length[1x" + maxPositions + "]",
                new ModelInput(new int[] {1, maxPositions}, longIds, longTypes, longMask), 1));
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
                    new ModelInput(new int[] {1, n}, textIds, textTypes, Arrays.copyOf(enc.attentionMask(), n)), ALL_LAYERS));
        }
        return List.copyOf(cases);
    }

    /**
     * Word id {@code k} at token {@code k} of the sweep (wrapping round to fill the last sequence), each sequence
     * covering positions {@code 0..P-1}, token types alternating by sequence.
     *
     * @param width the wider of the embedding and hidden sizes (a chunk's hidden states are its tokens times that)
     */
    public static Sweep vocabularySweep(int vocabSize, int typeVocabSize, int maxPositions, int width) {
        int sequences = Math.max(Math.max(1, typeVocabSize), (vocabSize + maxPositions - 1) / maxPositions);
        int perChunk = (int) Math.max(1, Math.min(sequences, SWEEP_CHUNK_FLOATS / ((long) maxPositions * Math.max(1, width))));
        List<ModelInput> chunks = new ArrayList<>();
        for (int first = 0; first < sequences; first += perChunk) {
            int n = Math.min(perChunk, sequences - first);
            int[] ids = new int[n * maxPositions];
            int[] types = new int[n * maxPositions];
            int[] mask = new int[n * maxPositions];
            for (int s = 0; s < n; s++) {
                for (int p = 0; p < maxPositions; p++) {
                    int token = s * maxPositions + p;
                    ids[token] = (int) (((long) (first + s) * maxPositions + p) % vocabSize);
                    types[token] = (first + s) % Math.max(1, typeVocabSize);
                    mask[token] = 1;
                }
            }
            chunks.add(new ModelInput(new int[] {n, maxPositions}, ids, types, mask));
        }
        return new Sweep("vocabulary-sweep[" + sequences + "x" + maxPositions + "] (every id, position and type)",
                chunks, new int[] {sequences, maxPositions});
    }

    private static int randomId(Random random, int vocabSize) {
        return vocabSize > 1 ? 1 + random.nextInt(vocabSize - 1) : 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
