package io.electraconvert.hf.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelTransposerTest {
    private static float[] naive(float[] src, int rows, int cols) {
        float[] expected = new float[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                expected[c * rows + r] = src[r * cols + c];
            }
        }
        return expected;
    }

    /** Element (r, c) of a TF kernel [rows, cols] must land at (c, r): every fixture kernel, direct and whole. */
    @Test
    void everyFixtureKernelEqualsTheDefinition() {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("small"))) {
            int kernels = 0;
            KernelTransposer transposer = new KernelTransposer();
            for (TensorInfo t : ckpt.tensors()) {
                if (!t.name().endsWith("/kernel")) {
                    continue;
                }
                kernels++;
                float[] src = ckpt.readFloats(t.name());
                int rows = (int) t.shape()[0];
                int cols = (int) t.shape()[1];
                float[] expected = naive(src, rows, cols);

                // from a direct buffer into a region at an offset of another, as a worker does into its slab
                ByteBuffer raw = ByteBuffer.allocateDirect(src.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                raw.asFloatBuffer().put(src);
                ByteBuffer slab = ByteBuffer.allocateDirect(src.length * 4 + 12).order(ByteOrder.LITTLE_ENDIAN);
                FloatBuffer region = slab.position(12).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                transposer.transpose(raw.asFloatBuffer(), rows, cols, region);
                float[] direct = new float[src.length];
                region.get(0, direct);
                assertArrayEquals(expected, direct, t.name() + " direct");

                float[] whole = new float[src.length];
                new TensorSource(t, true).float32(ckpt).asFloatBuffer().get(whole);
                assertArrayEquals(expected, whole, t.name() + " whole");
            }
            assertTrue(kernels > 20, "kernels checked: " + kernels);
        }
    }

    /** Shapes that are not multiples of the band and tile sizes, and degenerate ones, with one reused instance. */
    @Test
    void oddShapesAndReuseAcrossSizes() {
        KernelTransposer transposer = new KernelTransposer();
        Random random = new Random(5);
        int[][] shapes = {{1, 1}, {1, 130}, {130, 1}, {63, 65}, {65, 129}, {200, 70}, {128, 64}, {64, 128}, {129, 257}, {3, 1000}, {2, 2}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            float[] src = new float[rows * cols];
            for (int i = 0; i < src.length; i++) {
                src[i] = random.nextFloat();
            }
            FloatBuffer dst = FloatBuffer.allocate(src.length);
            transposer.transpose(FloatBuffer.wrap(src), rows, cols, dst);
            assertArrayEquals(naive(src, rows, cols), dst.array(), rows + "x" + cols);
        }
    }

    @Test
    void buffersTooSmallForTheShapeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KernelTransposer().transpose(FloatBuffer.allocate(5), 2, 3, FloatBuffer.allocate(6)));
        assertEquals("a 2x3 kernel needs 6 floats; source has 5, destination 6", e.getMessage());
    }
}
