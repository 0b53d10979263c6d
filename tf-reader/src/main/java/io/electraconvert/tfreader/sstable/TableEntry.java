package io.electraconvert.tfreader.sstable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** One key/value pair of a table. Keys are raw bytes (slice keys are OrderedCode, not text). */
public record TableEntry(byte[] key, ByteBuffer value) {
    /** The key as text (tensor names are UTF-8). */
    public String keyString() {
        return new String(key, StandardCharsets.UTF_8);
    }
}
