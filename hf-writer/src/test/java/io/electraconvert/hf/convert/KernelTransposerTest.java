package io.electraconvert.hf.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.tfreader.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KernelTransposerTest {
    private static Path fixture(String name) {
        return Path.of(System.getProperty("electra.repoRoot")).resolve("testdata/checkpoints").resolve(name);
    }

    /** Element (r, c) of a TF kernel [rows, cols] must land at (c, r); checked against the naive definition. */
    @Test
    void streamedTransposeEqualsTheDefinitionForEveryKernelAndChunkSize() throws Exception {
        try (TfCheckpoint ckpt = TfCheckpoint.open(fixture("small"))) {
            int kernels = 0;
            for (TensorInfo t : ckpt.tensors()) {
                if (!t.name().endsWith("/kernel")) {
                    continue;
                }
                kernels++;
                float[] src = ckpt.readFloats(t.name());
                int rows = (int) t.shape()[0];
                int cols = (int) t.shape()[1];
                float[] expected = new float[src.length];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        expected[c * rows + r] = src[r * cols + c];
                    }
                }
                for (int chunkBytes : new int[] {4, 60, 4096, 4 << 20}) { // one row per chunk, odd, several, all
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    new KernelTransposer(chunkBytes).stream(ckpt, t, chunk -> {
                        assertTrue(chunk.remaining() <= Math.max(chunkBytes, rows * 4), "chunk within bound");
                        byte[] b = new byte[chunk.remaining()];
                        chunk.get(b);
                        out.write(b);
                    });
                    float[] got = new float[src.length];
                    ByteBuffer.wrap(out.toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
                    assertArrayEquals(expected, got, t.name() + " chunk " + chunkBytes);
                }
                float[] whole = new float[src.length];
                CheckpointTensors.float32(ckpt, t, true).asFloatBuffer().get(whole);
                assertArrayEquals(expected, whole, t.name() + " whole");
            }
            assertTrue(kernels > 20, "kernels checked: " + kernels);
        }
    }
}
