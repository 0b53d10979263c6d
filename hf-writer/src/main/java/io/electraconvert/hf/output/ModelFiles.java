package io.electraconvert.hf.output;

import io.electraconvert.hf.tokenizer.TokenizerFiles;
import io.electraconvert.hf.formats.WeightsFormats;
import java.util.Collection;

/**
 * The files of a model folder that a conversion owns, by name, as {@code save_pretrained} owns them: its config and
 * the weights in every format (single files, shards and their index, so no stale shard outlives a re-conversion),
 * and the tokenizer files when it writes a tokenizer. Replacing an output touches these and nothing else.
 */
final class ModelFiles {
    private ModelFiles() {}

    static boolean isConfigOrWeights(String fileName) {
        return fileName.equals("config.json") || WeightsFormats.all().stream().anyMatch(f -> f.writes(fileName));
    }

    /** Whether an existing file is replaced (or removed) by an output made of {@code newFiles}. */
    static boolean replacedBy(String existing, Collection<String> newFiles) {
        return isConfigOrWeights(existing)
                || TokenizerFiles.NAMES.contains(existing) && newFiles.stream().anyMatch(TokenizerFiles.NAMES::contains);
    }
}
