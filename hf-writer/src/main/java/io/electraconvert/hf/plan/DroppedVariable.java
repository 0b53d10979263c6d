package io.electraconvert.hf.plan;

/** A checkpoint variable deliberately left out of the converted model, and why. */
public record DroppedVariable(String tfName, String reason) {
}
