package io.electraconvert.verify.tokenizer;

import java.util.List;

/** Model input for one sequence or pair: {@code [CLS] A [SEP] (B [SEP])}, segment B with token type 1. */
public record Encoding(List<String> tokens, int[] ids, int[] typeIds, int[] attentionMask) {}
