package io.electraconvert.hf.weights;

/** Receives bytes written per tensor; the conversion turns these into its progress callbacks. */
@FunctionalInterface
public interface WriteProgress {
    WriteProgress NONE = (name, bytes) -> { };

    void advance(String tensorName, long bytes);
}
