package io.electraconvert.hf.weights;

/** Conversion progress for build tools and the CLI; called on the converting thread. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, current) -> { };

    /**
     * @param bytesDone  tensor bytes written so far
     * @param bytesTotal tensor bytes the whole conversion writes
     * @param current    the state_dict key just written
     */
    void progress(long bytesDone, long bytesTotal, String current);
}
