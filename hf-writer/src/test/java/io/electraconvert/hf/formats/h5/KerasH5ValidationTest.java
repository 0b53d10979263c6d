package io.electraconvert.hf.formats.h5;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.object.datatype.FloatingPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keras files whose one dataset declares what its bytes cannot back: each is refused on open (what {@code inspect}
 * relies on), before any value is read. The files are written by jHDF, then one field of the dataset's object header
 * is overwritten and the header's checksum recomputed.
 */
class KerasH5ValidationTest {
    private static final String DATASET = "layer/w:0";

    @TempDir
    Path tmp;

    /** Root layer_names [layer], layer/weight_names [w:0], dataset layer/w:0 = a 2 x 3 float32 array. */
    private Path keras(String name, DatasetCreationOptions options) {
        Path file = tmp.resolve(name);
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.putAttribute("layer_names", new String[] {"layer"});
            WritableGroup layer = hdf.putGroup("layer");
            layer.putAttribute("weight_names", new String[] {"w:0"});
            layer.putDataset("w:0", new float[][] {{1, 2, 3}, {4, 5, 6}}, options);
        }
        return file;
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        Arrays.stream(parts).forEach(b::put);
        return b.array();
    }

    /** The file with {@code find} replaced by {@code replace} inside the dataset's v2 object header, checksum fixed. */
    private Path patchHeader(Path file, byte[] find, byte[] replace) throws Exception {
        long address;
        try (HdfFile hdf = new HdfFile(file)) {
            address = hdf.getDatasetByPath(DATASET).getAddress();
        }
        byte[] bytes = Files.readAllBytes(file);
        int a = Math.toIntExact(address);
        int flags = bytes[a + 5];
        int sizeWidth = 1 << (flags & 3);
        int p = a + 6 + ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
        long chunk = 0;
        for (int i = sizeWidth - 1; i >= 0; i--) {
            chunk = chunk << 8 | (bytes[p + i] & 0xff);
        }
        int end = Math.toIntExact(p + sizeWidth + chunk);
        int at = indexOf(bytes, find, a, end);
        System.arraycopy(replace, 0, bytes, at, replace.length);
        int checksum = ChecksumUtils.checksum(Arrays.copyOfRange(bytes, a, end));
        ByteBuffer.wrap(bytes, end, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(checksum);
        Path patched = tmp.resolve("patched-" + file.getFileName());
        Files.write(patched, bytes);
        return patched;
    }

    private static int indexOf(byte[] bytes, byte[] find, int from, int to) {
        for (int i = from; i + find.length <= to; i++) {
            if (Arrays.equals(bytes, i, i + find.length, find, 0, find.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not in the object header");
    }

    private static String refusal(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> KerasH5File.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    @Test
    void theUnpatchedFileReads() {
        try (KerasH5File f = KerasH5File.open(keras("ok.h5", DatasetCreationOptions.DEFAULT))) {
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.readFloats("w"));
            assertEquals(DType.FLOAT32, f.entry("w").dtype());
        }
    }

    @Test
    void refusesDatatypeSizesKerasNeverWrites() throws Exception {
        byte[] float32 = FloatingPoint.FLOAT.toBuffer().array();
        for (int size : new int[] {0, Integer.MAX_VALUE}) {
            byte[] patched = float32.clone();
            ByteBuffer.wrap(patched, 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(size);
            Path file = patchHeader(keras("size" + size + ".h5", DatasetCreationOptions.DEFAULT), float32, patched);
            assertEquals(DATASET + ": datatype is a " + size + "-byte float not laid out as IEEE 754, not an IEEE float of"
                    + " 2, 4 or 8 bytes", refusal(file));
        }
    }

    @Test
    void refusesADataspaceWhoseSizeOverflows() throws Exception {
        // simple dataspace v2 of rank 2 (2 x 3) -> 2^40 x 2^40
        byte[] dataspace = concat(new byte[] {2, 2, 0, 1}, le(2), le(3));
        byte[] huge = concat(new byte[] {2, 2, 0, 1}, le(1L << 40), le(1L << 40));
        Path file = patchHeader(keras("dims.h5", DatasetCreationOptions.DEFAULT), dataspace, huge);
        assertEquals(DATASET + ": dataspace [1099511627776, 1099511627776] holds more than 2^63-1 bytes", refusal(file));
    }

    @Test
    void refusesDataOutsideTheFile() throws Exception {
        Path file = keras("address.h5", DatasetCreationOptions.DEFAULT);
        long address;
        try (HdfFile hdf = new HdfFile(file)) {
            address = ((ContiguousDataset) hdf.getDatasetByPath(DATASET)).getDataAddress();
        }
        // contiguous layout message v3: address, then size (24 bytes)
        Path patched = patchHeader(file, concat(new byte[] {3, 1}, le(address), le(24)), concat(new byte[] {3, 1}, le(1L << 62), le(24)));
        assertEquals(DATASET + ": data at byte 4611686018427387904 (+24) lies outside the file of " + Files.size(patched)
                + " bytes", refusal(patched));
    }

    @Test
    void refusesCompressedDatasetsRatherThanInflatingThem() {
        Path file = keras("deflate.h5", DatasetCreationOptions.builder().deflate(9).build());
        assertEquals(DATASET + ": chunked storage; Keras writes contiguous datasets, so chunked (compressed) and compact ones"
                + " are not read", refusal(file));
    }

    @Test
    void truncatedFilesAreDescribedWithoutJavaClassNames() throws Exception {
        byte[] bytes = Files.readAllBytes(KerasH5GoldenTest.golden("pretraining"));
        for (int length : new int[] {0, 7, 100, 2048, bytes.length / 2, bytes.length - 1}) {
            Path cut = tmp.resolve("cut-" + length + ".h5");
            Files.write(cut, Arrays.copyOf(bytes, length));
            try (KerasH5File f = KerasH5File.open(cut)) {
                f.tensors().keySet().forEach(f::readFloats);
            } catch (BadInputException e) {
                assertFalse(e.getMessage().matches(".*\\b[A-Z]\\w*(Exception|Error)\\b.*"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
