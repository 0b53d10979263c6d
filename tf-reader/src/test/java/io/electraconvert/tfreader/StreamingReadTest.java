package io.electraconvert.tfreader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.testdataCheckpoint("sharded"))) {
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

    @Test
    void checksumMismatchIsThrownAfterTheLastChunk() throws Exception {
        Path dir = tmp.resolve("released");
        Files.createDirectories(dir);
        try (var files = Files.list(Fixtures.testdataCheckpoint("released"))) {
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
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            int[] chunks = {0};
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class,
                    () -> ckpt.streamBytes(word, 256, b -> chunks[0]++));
            assertEquals((int) ((word.size() + 255) / 256), chunks[0], "all chunks delivered before the verdict");
            assertTrue(e.getMessage().contains("tensor 'electra/embeddings/word_embeddings'"), e.getMessage());
        }
    }
}
