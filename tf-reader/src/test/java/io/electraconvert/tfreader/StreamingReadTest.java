package io.electraconvert.tfreader;

import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tensor.DType;
import io.electraconvert.error.ChecksumException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.checksum.Crc32cCombine;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingReadTest {
    @TempDir
    Path tmp;

    private static byte[] streamed(TfCheckpoint ckpt, TensorInfo t, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ckpt.streamBytes(t, chunk, b -> {
            assertTrue(b.remaining() <= Math.max(chunk, 8));
            byte[] a = new byte[b.remaining()];
            b.get(a);
            out.write(a);
        });
        return out.toByteArray();
    }

    @Test
    void streamedBytesEqualWholeReadsForEveryChunkSize() throws Exception {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("sharded"))) {
            for (TensorInfo t : ckpt.tensors()) {
                ByteBuffer whole = ckpt.readBytes(t);
                byte[] expected = new byte[whole.remaining()];
                whole.get(expected);
                for (int chunk : new int[] {1, 7, 64, 1 << 20}) {
                    assertEquals(ByteBuffer.wrap(expected), ByteBuffer.wrap(streamed(ckpt, t, chunk)), t.name() + " chunk " + chunk);
                }
            }
        }
    }

    /** Ranges read backwards on a pool, each checksummed alone, combine to the stored CRC and the whole bytes. */
    @Test
    void rangesReadOutOfOrderOnSeveralThreadsCombineToTheStoredChecksum() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("sharded"))) {
            for (TensorInfo t : ckpt.tensors()) {
                if (t.knownDtype().orElseThrow() == DType.STRING) {
                    continue;
                }
                ByteBuffer whole = ckpt.readBytes(t);
                int element = t.knownDtype().orElseThrow().byteSize();
                long rangeBytes = Math.max(element, t.size() / 5 / element * element);
                List<Future<int[]>> crcs = new ArrayList<>();
                ByteBuffer assembled = ByteBuffer.allocate((int) t.size());
                for (long from = t.size() - (t.size() - 1) % rangeBytes - 1; t.size() > 0 && from >= 0; from -= rangeBytes) {
                    long start = from;
                    int length = (int) Math.min(rangeBytes, t.size() - from);
                    ByteBuffer target = assembled.duplicate().position((int) start).limit((int) start + length);
                    crcs.add(0, pool.submit(() -> new int[] {ckpt.readRange(t, start, target), length}));
                }
                int crc = 0;
                for (Future<int[]> part : crcs) {
                    crc = Crc32cCombine.combine(crc, part.get()[0], part.get()[1]);
                }
                int combined = crc;
                ckpt.verifyChecksum(t, combined); // throws on a mismatch
                assertEquals(whole, assembled, t.name());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void rangesMustBeWholeElementsInsideTheTensor() throws Exception {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("small"))) {
            TensorInfo word = ckpt.info("electra/embeddings/word_embeddings");
            assertThrows(IllegalArgumentException.class, () -> ckpt.readRange(word, 2, ByteBuffer.allocate(4)));
            assertThrows(IllegalArgumentException.class, () -> ckpt.readRange(word, 0, ByteBuffer.allocate(6)));
            assertThrows(IllegalArgumentException.class, () -> ckpt.readRange(word, word.size() - 4, ByteBuffer.allocate(8)));
            assertThrows(IllegalArgumentException.class, () -> ckpt.readRange(word, -4, ByteBuffer.allocate(4)));
        }
    }

    @Test
    void checksumMismatchIsThrownAfterTheLastChunk() throws Exception {
        Path dir = corruptedReleasedFixture();
        TensorInfo word;
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            word = ckpt.info("electra/embeddings/word_embeddings");
        }
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            int[] chunks = {0};
            ChecksumException e = assertThrows(ChecksumException.class,
                    () -> ckpt.streamBytes(word, 256, b -> chunks[0]++));
            assertEquals((int) ((word.size() + 255) / 256), chunks[0], "all chunks delivered before the verdict");
            assertTrue(e.getMessage().contains("tensor 'electra/embeddings/word_embeddings'"), e.getMessage());
        }
    }

    @Test
    void aFlippedBitInOneRangeFailsTheCombinedChecksum() throws Exception {
        try (TfCheckpoint ckpt = TfCheckpoint.open(corruptedReleasedFixture())) {
            TensorInfo word = ckpt.info("electra/embeddings/word_embeddings");
            long half = word.size() / 2 / 4 * 4;
            int first = ckpt.readRange(word, 0, ByteBuffer.allocate((int) half));
            int second = ckpt.readRange(word, half, ByteBuffer.allocate((int) (word.size() - half)));
            ChecksumException e = assertThrows(ChecksumException.class,
                    () -> ckpt.verifyChecksum(word, Crc32cCombine.combine(first, second, word.size() - half)));
            assertTrue(e.getMessage().contains("electra_small.data-00000-of-00001"), e.getMessage());
        }
    }

    /** A copy of the "released" fixture with the last byte of the word embeddings flipped. */
    private Path corruptedReleasedFixture() throws Exception {
        Path dir = tmp.resolve("released");
        Files.createDirectories(dir);
        try (var files = Files.list(Fixtures.checkpoint("released"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        TensorInfo word;
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            word = ckpt.info("electra/embeddings/word_embeddings");
        }
        Path data = dir.resolve("electra_small.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(data);
        bytes[(int) (word.offset() + word.size() - 1)] ^= 1;
        Files.write(data, bytes);
        return dir;
    }
}
