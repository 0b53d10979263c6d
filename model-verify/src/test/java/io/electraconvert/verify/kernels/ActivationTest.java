package io.electraconvert.verify.kernels;

import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ActivationTest {

    @Test
    void mapsTransformersNames() {
        assertEquals(Activation.GELU_ERF, Activation.forName("gelu"));
        assertEquals(Activation.GELU_TANH, Activation.forName("gelu_new"));
        assertEquals(Activation.GELU_TANH, Activation.forName("gelu_pytorch_tanh"));
        assertEquals(Activation.RELU, Activation.forName("relu"));
        assertEquals(Activation.SILU, Activation.forName("silu"));
        assertEquals(Activation.SILU, Activation.forName("swish"));
    }

    @Test
    void rejectsUnknownName() {
        BadInputException e = assertThrows(BadInputException.class, () -> Activation.forName("gelu_fast"));
        assertEquals("unsupported activation \"gelu_fast\"", e.getMessage());
    }

    @Test
    void matchesPyTorchValues() {
        // torch.nn.functional.gelu(torch.tensor([v]), approximate='none' / 'tanh'), one element at a time: PyTorch's
        // scalar path. Its AVX path (tensors of 8+ elements) rounds differently, e.g. -0.004050225 at x = -3.
        float[] x = {-3f, -1f, 0.5f, 2f};
        float[] erf = {-0.00404968858f, -0.15865526f, 0.34573123f, 1.9544997f};
        float[] tanh = {-0.0036374331f, -0.15880799f, 0.345714f, 1.9545977f};
        for (int i = 0; i < x.length; i++) {
            assertEquals(erf[i], Activation.GELU_ERF.apply(x[i]), 1e-7f, "gelu(" + x[i] + ")");
            assertEquals(tanh[i], Activation.GELU_TANH.apply(x[i]), 1e-7f, "gelu_new(" + x[i] + ")");
        }
        assertEquals(0f, Activation.RELU.apply(-2f));
        assertEquals(0.7310586f, Activation.SILU.apply(1f), 1e-7f);
    }

    @Test
    void applyInPlaceCoversEveryChunk() {
        for (MatMulKernel kernel : new MatMulKernel[] {new ScalarMatMulKernel(), new VectorMatMulKernel()}) {
            float[] values = new float[200_001];
            java.util.Arrays.fill(values, -1f);
            Activation.RELU.applyInPlace(values, kernel.rowKernels());
            for (float v : values) {
                assertEquals(0f, v, kernel.getClass().getSimpleName());
            }
        }
    }
}
