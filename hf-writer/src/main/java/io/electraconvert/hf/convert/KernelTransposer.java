package io.electraconvert.hf.convert;

import io.electraconvert.hf.weights.TensorPayload;
import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Turns TF kernels ({@code [in, out]}) into PyTorch weights ({@code [out, in]}) as a stream of chunks. A kernel must be
 * read whole to transpose (ELECTRA-large's largest is 16 MiB); its checksum is verified before the first chunk leaves.
 * The buffers grow to the largest kernel and are reused for every kernel of one conversion: a fresh 16 MiB array
 * per kernel made G1 grow the default-sized heap, and peak RSS with it, for nothing. Not thread-safe: one
 * conversion streams its tensors one at a time.
 */
final class KernelTransposer {
    private static final int TILE = 64;
    private final int chunkBytes;
    private float[] source = new float[0];
    private float[] part = new float[0];
    private ByteBuffer out = ByteBuffer.allocate(0);

    KernelTransposer(int chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    void stream(TfCheckpoint checkpoint, TensorInfo kernel, TensorPayload.ChunkSink sink) throws IOException {
        int rows = Math.toIntExact(kernel.shape()[0]);
        int cols = Math.toIntExact(kernel.shape()[1]);
        int outRowsPerChunk = Math.max(1, Math.min(cols, chunkBytes / 4 / Math.max(1, rows)));
        fit(Math.multiplyExact(rows, cols), Math.max(outRowsPerChunk * rows, 1));
        int[] filled = {0};
        // the output buffer is idle until the kernel is read, so it doubles as the read buffer
        checkpoint.streamBytes(kernel, out, chunk -> {
            FloatBuffer f = chunk.asFloatBuffer(); // the chunk is little-endian, so this is a bulk copy
            int n = f.remaining();
            f.get(source, filled[0], n);
            filled[0] += n;
        });
        for (int c0 = 0; c0 < cols; c0 += outRowsPerChunk) {
            int k = Math.min(outRowsPerChunk, cols - c0);
            transpose(source, rows, cols, c0, k, part);
            out.clear();
            out.asFloatBuffer().put(part, 0, k * rows);
            out.limit(k * rows * 4);
            sink.accept(out);
        }
    }

    private void fit(int sourceLength, int partLength) {
        if (source.length < sourceLength) {
            source = new float[sourceLength];
        }
        if (part.length < partLength) {
            part = new float[partLength];
            // direct, so the writer's write(2) needs no bounce copy through a temporary direct buffer
            out = ByteBuffer.allocateDirect(partLength * 4).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * {@code dst[(c - c0) * rows + r] = src[r * cols + c]} for columns {@code [c0, c0 + k)}, in cache-sized tiles;
     * column blocks are spread over the common pool (the transpose is most of a conversion's CPU time).
     */
    static void transpose(float[] src, int rows, int cols, int c0, int k, float[] dst) {
        int blocks = (k + TILE - 1) / TILE;
        IntStream.range(0, blocks).parallel().forEach(block -> {
            int cb = c0 + block * TILE;
            int ce = Math.min(c0 + k, cb + TILE);
            for (int rb = 0; rb < rows; rb += TILE) {
                int re = Math.min(rows, rb + TILE);
                for (int c = cb; c < ce; c++) {
                    int o = (c - c0) * rows;
                    for (int r = rb, i = rb * cols + c; r < re; r++, i += cols) {
                        dst[o + r] = src[i];
                    }
                }
            }
        });
    }
}
