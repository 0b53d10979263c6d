package io.electraconvert.hf.mapping;

/** A checkpoint variable that becomes a state_dict entry; {@code transpose} for TF {@code kernel}s ([in,out] -> [out,in]). */
public record MappedVariable(String tfName, String hfKey, boolean transpose) {
}
