/**
 * google-research/electra's model, transcribed a second time, independently of the converter: variables found by
 * the original's own names ({@code model/modeling.py}'s {@code BertModel} under {@code electra/} or
 * {@code generator/}, {@code run_pretraining.py}'s heads, the fine-tuning tasks' {@code task_specific/<task>/}),
 * its config read the way the original's configuration code reads hparams, and its forward pass with the original's
 * semantics (TF's {@code [in, out]} kernels, an attention mask that adds {@code -10000}). Nothing here imports the
 * converter's recognition, mapping, schema, plan or config inference: {@code verify} compares this transcription
 * with the converted folder read by HF names, so a mistake in either shows up as a divergence instead of being
 * repeated on both sides of the comparison.
 */
package io.electraconvert.verify.original;
