package io.electraconvert.verify.kernels;

import io.electraconvert.error.BadInputException;


/**
 * The activations of transformers' {@code ACT2FN} that ELECTRA configs use, each by its exact formula. In
 * {@link #apply} (the scalar reference) the transcendental part is evaluated in double and rounded once; the
 * surrounding arithmetic is float32 in PyTorch's order, because {@code 1 + erf(x)} cancels for negative x and
 * PyTorch keeps that float32 rounding. The vector row kernels evaluate the same formulas lane-wise in float32.
 */
public enum Activation {
    /** {@code "gelu"}: exact {@code 0.5·x·(1 + erf(x/√2))}, as PyTorch's {@code nn.functional.gelu}. */
    GELU_ERF {
        @Override
        public float apply(float x) {
            float erf = (float) Erf.erf(x * SQRT_HALF);
            return x * 0.5f * (1f + erf);
        }
    },
    /** {@code "gelu_new"} / {@code "gelu_pytorch_tanh"}: {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}. */
    GELU_TANH {
        @Override
        public float apply(float x) {
            float tanh = (float) Math.tanh(SQRT_2_OVER_PI * (x + TANH_CUBIC * (x * x * x)));
            return 0.5f * x * (1f + tanh);
        }
    },
    RELU {
        @Override
        public float apply(float x) {
            return Math.max(x, 0f);
        }
    },
    /** {@code "silu"} / {@code "swish"}: {@code x·sigmoid(x)}. */
    SILU {
        @Override
        public float apply(float x) {
            return x / (1f + (float) Math.exp(-x));
        }
    },
    /** {@code "tanh"}, one of google-research/electra's four ({@code modeling.get_activation}). */
    TANH {
        @Override
        public float apply(float x) {
            return (float) Math.tanh(x);
        }
    },
    /** {@code "linear"}: no activation, google-research/electra's and transformers' meaning alike. */
    IDENTITY {
        @Override
        public float apply(float x) {
            return x;
        }
    };

    static final float SQRT_HALF = (float) Math.sqrt(0.5);
    static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    static final float TANH_CUBIC = 0.044715f;
    private static final int PARALLEL_CHUNK = 1 << 16;

    public abstract float apply(float x);

    /** Applies the activation to every element with {@code kernels}, in parallel chunks for large activations. */
    public void applyInPlace(float[] values, RowKernels kernels) {
        int chunks = (values.length + PARALLEL_CHUNK - 1) / PARALLEL_CHUNK;
        Parallel.forEach(Math.max(chunks, 1), chunk -> kernels.activate(this, values, chunk * PARALLEL_CHUNK,
                Math.min(values.length, (chunk + 1) * PARALLEL_CHUNK)));
    }

    /** Maps a config {@code hidden_act} string the way transformers' {@code ACT2FN} does. */
    public static Activation forName(String hfName) {
        return switch (hfName) {
            case "gelu" -> GELU_ERF;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            case "silu", "swish" -> SILU;
            case "tanh" -> TANH;
            case "linear" -> IDENTITY;
            default -> throw new BadInputException("unsupported activation \"" + hfName + "\"");
        };
    }
}
