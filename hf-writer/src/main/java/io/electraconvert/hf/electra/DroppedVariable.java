package io.electraconvert.hf.electra;

/** A checkpoint variable deliberately left out of the converted model, why ({@code reason}) and why in words. */
public record DroppedVariable(String tfName, DropReason reason, String message) {
}
