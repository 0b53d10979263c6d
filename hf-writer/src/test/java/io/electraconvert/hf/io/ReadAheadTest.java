package io.electraconvert.hf.io;

import io.electraconvert.error.ChecksumException;
import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadAheadTest {
    @TempDir
    Path tmp;

    private static byte[] streamed(ReadAhead readAhead, int index) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readAhead.stream(index, chunk -> {
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            out.write(b);
        });
        return out.toByteArray();
    }

    private static byte[] whole(TfCheckpoint ckpt, TensorSource source) {
        ByteBuffer b = source.float32(ckpt);
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /**
     * With slabs small enough to split the embeddings and share slabs between biases, few or many workers, and as
     * few slabs as allowed, every tensor streams exactly the bytes of a whole read: in order, again from the start
     * (a second weight format), and in reverse order (each request restarts the read-ahead).
     */
    @Test
    void streamedTensorsEqualWholeReadsInAnyOrder() throws Exception {
        for (String fixture : List.of("small", "sharded")) {
            try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint(fixture))) {
                List<TensorSource> sources = SlabLayoutTest.sources(ckpt);
                byte[][] expected = sources.stream().map(s -> whole(ckpt, s)).toArray(byte[][]::new);
                for (int minSlab : new int[] {4, 10_000, 4 << 20}) {
                    for (int workers : new int[] {1, 3}) {
                        SlabLayout layout = SlabLayout.of(sources, minSlab);
                        try (ReadAhead readAhead = new ReadAhead(ckpt, sources, layout, workers, 2 + workers)) {
                            List<Integer> order = IntStream.range(0, sources.size()).boxed().toList();
                            List<Integer> reverse = IntStream.range(0, sources.size()).map(i -> sources.size() - 1 - i).boxed().toList();
                            for (List<Integer> pass : List.of(order, order, reverse)) {
                                for (int i : pass) {
                                    assertEquals(ByteBuffer.wrap(expected[i]), ByteBuffer.wrap(streamed(readAhead, i)),
                                            fixture + " " + sources.get(i).info().name() + " slab " + layout.slabBytes() + " workers " + workers);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** ELECTRA-large's 16 MiB slabs: read-ahead within half the JVM's memory limit, never below two slabs. */
    @Test
    void readAheadIsSizedToTheMemoryLimit() throws Exception {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("small"))) {
            List<TensorSource> sources = SlabLayoutTest.sources(ckpt);
            long mib = 1 << 20;
            long[][] cases = { // max memory (MiB), loaders, slabs
                {6144, 3, 4}, {256, 3, 4}, {128, 1, 3}, {64, 1, 2}, {16, 1, 2}};
            for (long[] c : cases) {
                try (ReadAhead r = ReadAhead.sized(ckpt, sources, 16 << 20, c[0] * mib)) {
                    assertEquals(c[1], r.loaders(), c[0] + " MiB: loaders");
                    assertEquals(c[2], r.maxSlabs(), c[0] + " MiB: slabs");
                    assertTrue((r.loaders() + r.maxSlabs()) * 16 <= Math.max(48, c[0] / 2), c[0] + " MiB: within half, or the minimum");
                }
            }
        }
    }

    /** Asked for a tensor after close: a clear refusal, and closing again returns (it used to wait forever). */
    @Test
    void streamingAfterCloseIsRefusedAndCloseStillReturns() throws Exception {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("small"))) {
            List<TensorSource> sources = SlabLayoutTest.sources(ckpt);
            ReadAhead readAhead = new ReadAhead(ckpt, sources, SlabLayout.of(sources, 10_000), 2, 3);
            streamed(readAhead, 0);
            readAhead.close();
            assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> streamed(readAhead, 5));
            java.util.concurrent.CompletableFuture<Void> again = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    readAhead.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            again.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private Path copyOf(String fixture) throws IOException {
        Path dir = tmp.resolve(fixture);
        Files.createDirectories(dir);
        try (var files = Files.list(Fixtures.checkpoint(fixture))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** A flipped byte at the end of the split word embeddings: every piece is delivered, then the tensor is named. */
    @Test
    void aCorruptSplitTensorFailsAfterItsLastPiece() throws Exception {
        Path dir = copyOf("small");
        Path data;
        long lastByte;
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            var word = ckpt.info("electra/embeddings/word_embeddings");
            data = ckpt.dataFiles().get(word.shardId());
            lastByte = word.offset() + word.size() - 1;
        }
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.seek(lastByte);
            int b = f.read();
            f.seek(lastByte);
            f.write(b ^ 0x40);
        }
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            List<TensorSource> sources = SlabLayoutTest.sources(ckpt);
            int word = IntStream.range(0, sources.size())
                    .filter(i -> sources.get(i).info().name().equals("electra/embeddings/word_embeddings")).findFirst().orElseThrow();
            SlabLayout layout = SlabLayout.of(sources, 1000);
            try (ReadAhead readAhead = new ReadAhead(ckpt, sources, layout, 2, 4)) {
                for (int i = 0; i < word; i++) {
                    streamed(readAhead, i);
                }
                long[] delivered = {0};
                ChecksumException e = assertThrows(ChecksumException.class,
                        () -> readAhead.stream(word, chunk -> delivered[0] += chunk.remaining()));
                assertEquals(sources.get(word).outputBytes(), delivered[0], "every piece delivered before the verdict");
                assertTrue(e.getMessage().startsWith(data + ": "), e.getMessage());
                assertTrue(e.getMessage().contains("tensor 'electra/embeddings/word_embeddings'"), e.getMessage());
            }
        }
    }

    /** A data shard cut short after the index was read: the worker's error reaches the writer, naming the file. */
    @Test
    void aTruncatedShardFailsTheTensorThatNeedsTheMissingBytes() throws Exception {
        Path dir = copyOf("small");
        try (TfCheckpoint ckpt = TfCheckpoint.open(dir)) {
            List<TensorSource> sources = SlabLayoutTest.sources(ckpt);
            Path data = ckpt.dataFiles().get(0);
            try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
                f.setLength(f.length() / 2);
            }
            try (ReadAhead readAhead = new ReadAhead(ckpt, sources, SlabLayout.of(sources, 10_000), 3, 5)) {
                BadInputException e = assertThrows(BadInputException.class, () -> {
                    for (int i = 0; i < sources.size(); i++) {
                        streamed(readAhead, i);
                    }
                });
                assertTrue(e.getMessage().startsWith(data + ": truncated data shard: tensor '"), e.getMessage());
            }
        }
    }
}
