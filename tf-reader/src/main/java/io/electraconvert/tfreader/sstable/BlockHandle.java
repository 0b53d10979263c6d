package io.electraconvert.tfreader.sstable;

/**
 * Pointer to a block of the table: {@code varint64 offset, varint64 size}. {@code size} excludes the 5-byte
 * block trailer ({@code tensorflow/core/lib/io/format.h}).
 */
public record BlockHandle(long offset, long size) {
    static BlockHandle decode(ByteCursor cursor) {
        long offset = cursor.varint64(); // uint64 offset (varint64)
        long size = cursor.varint64();   // uint64 size (varint64)
        return new BlockHandle(offset, size);
    }
}
