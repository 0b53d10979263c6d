package io.electraconvert.tfreader.bundle;

import io.electraconvert.tfreader.ChecksumMismatchException;
import io.electraconvert.tfreader.checksum.MaskedCrc32c;
import io.electraconvert.tfreader.sstable.ByteCursor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * DT_STRING tensors ({@code tensor_bundle.cc} {@code WriteStringTensor}): {@code varint64 len[N]}, a fixed32
 * masked CRC of the lengths, then the concatenated bytes. The entry's checksum covers the lengths re-encoded as
 * uint32 LE (uint64 when a length exceeds 32 bits), the four masked-CRC bytes, then the characters.
 */
final class StringTensorDecoder {
    private StringTensorDecoder() {}

    static byte[][] decode(Path file, String tensorName, ByteBuffer stored, long fileOffset, long numElements, int storedMaskedCrc) {
        ByteCursor cursor = new ByteCursor(file, stored, fileOffset, "string tensor '" + tensorName + "'");
        if (numElements > stored.remaining()) { // every element needs at least a one-byte varint
            throw cursor.corrupt(numElements + " strings cannot fit in " + stored.remaining() + " bytes");
        }
        long[] lengths = new long[(int) numElements];
        CRC32C entryCrc = new CRC32C();
        CRC32C lengthsCrc = new CRC32C();
        ByteBuffer encoded = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = cursor.varint64();
            encoded.clear();
            if (lengths[i] > 0xffffffffL || lengths[i] < 0) {
                encoded.putLong(lengths[i]);
            } else {
                encoded.putInt((int) lengths[i]);
            }
            encoded.flip();
            lengthsCrc.update(encoded.duplicate());
            entryCrc.update(encoded);
        }
        ByteBuffer maskedLengthsCrc = cursor.bytes(4, "lengths checksum");
        int storedLengthsCrc = maskedLengthsCrc.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (MaskedCrc32c.unmask(storedLengthsCrc) != (int) lengthsCrc.getValue()) {
            throw new ChecksumMismatchException(file, "string lengths of tensor '" + tensorName + "'",
                    MaskedCrc32c.unmask(storedLengthsCrc), (int) lengthsCrc.getValue());
        }
        entryCrc.update(maskedLengthsCrc.duplicate());
        byte[][] values = new byte[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            ByteBuffer bytes = cursor.bytes(lengths[i], "string " + i);
            entryCrc.update(bytes.duplicate());
            values[i] = new byte[bytes.remaining()];
            bytes.get(values[i]);
        }
        int expected = MaskedCrc32c.unmask(storedMaskedCrc);
        if ((int) entryCrc.getValue() != expected) {
            throw new ChecksumMismatchException(file, "tensor '" + tensorName + "'", expected, (int) entryCrc.getValue());
        }
        return values;
    }
}
