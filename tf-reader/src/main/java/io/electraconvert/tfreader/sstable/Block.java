package io.electraconvert.tfreader.sstable;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes the contents of one table block ({@code block_builder.cc}): prefix-compressed entries
 * {@code varint32 shared, varint32 non_shared, varint32 value_length, key_delta, value}, then a
 * {@code uint32 restarts[n]} array and {@code uint32 n}.
 */
final class Block {
    private Block() {}

    /**
     * @param keyBytesBefore key bytes the table's earlier blocks already decoded to
     * @param maxKeyBytes how many key bytes the table's entries may expand to in total. Prefix compression lets each entry
     *                    repeat the whole previous key for three bytes, so without a budget a block of n bytes can
     *                    decode to keys of about n&sup2;/32 bytes.
     */
    static List<TableEntry> decode(Path file, ByteBuffer contents, long fileOffset, String region, long keyBytesBefore, long maxKeyBytes) {
        ByteCursor cursor = new ByteCursor(file, contents, fileOffset, region);
        int size = cursor.remaining();
        if (size < 4) {
            throw cursor.corrupt("block of " + size + " bytes has no restart count");
        }
        cursor.seek(size - 4);
        long numRestarts = cursor.fixed32() & 0xffffffffL; // uint32 num_restarts
        long trailerBytes = 4 * (numRestarts + 1);
        if (numRestarts == 0 || trailerBytes > size) {
            throw cursor.corrupt("restart count " + numRestarts + " does not fit a block of " + size + " bytes");
        }
        int entriesEnd = (int) (size - trailerBytes);
        cursor.seek(entriesEnd);
        for (long i = 0; i < numRestarts; i++) {
            long restart = cursor.fixed32() & 0xffffffffL; // uint32 restarts[i]
            if (restart > entriesEnd) {
                throw cursor.corrupt("restart offset " + restart + " is past the entries (" + entriesEnd + " bytes)");
            }
        }

        ByteCursor entries = new ByteCursor(file, contents.duplicate().limit(entriesEnd), fileOffset, region);
        List<TableEntry> result = new ArrayList<>();
        byte[] previousKey = new byte[0];
        long keyBytes = keyBytesBefore;
        while (entries.hasRemaining()) {
            int shared = entries.varint32();        // varint32 shared key bytes
            int nonShared = entries.varint32();     // varint32 unshared key bytes
            int valueLength = entries.varint32();   // varint32 value length
            if (Integer.compareUnsigned(shared, previousKey.length) > 0) {
                throw entries.corrupt("entry shares " + Integer.toUnsignedString(shared)
                        + " key bytes but the previous key has " + previousKey.length);
            }
            ByteBuffer delta = entries.bytes(Integer.toUnsignedLong(nonShared), "key delta");
            ByteBuffer value = entries.bytes(Integer.toUnsignedLong(valueLength), "value");
            keyBytes += shared + delta.remaining();
            if (keyBytes > maxKeyBytes) {
                throw entries.corrupt("keys expand to more than " + maxKeyBytes
                        + " bytes (prefix compression bomb: each key repeats the previous one)");
            }
            byte[] key = Arrays.copyOf(previousKey, shared + delta.remaining());
            delta.get(key, shared, delta.remaining());
            if (!result.isEmpty() && Arrays.compareUnsigned(previousKey, key) >= 0) {
                throw entries.corrupt("keys are not in increasing order");
            }
            result.add(new TableEntry(key, value));
            previousKey = key;
        }
        return result;
    }
}
