package io.electraconvert.verify.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErfTest {
    /** {x, erf(x)} from Python's math.erf (correctly rounded to within 1 ulp), covering all three approximations. */
    private static final double[][] REFERENCE = {
        {0.0, 0.0}, {1e-20, 1.1283791670955125e-20}, {1e-09, 1.1283791670955127e-09}, {0.1, 0.1124629160182849},
        {-0.3, -0.3286267594591274}, {0.46875, 0.49261347321793797}, {0.5, 0.5204998778130465},
        {-0.7, -0.6778011938374184}, {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108},
        {2.0, 0.9953222650189527}, {-2.5, -0.999593047982555}, {3.0, 0.9999779095030014},
        {3.99, 0.9999999832607886}, {4.0, 0.9999999845827421}, {4.01, 0.9999999858030606},
        {5.0, 0.9999999999984626}, {-6.0, -1.0}, {10.0, 1.0}, {27.0, 1.0},
    };

    @Test
    void matchesPythonMathErfWithinOneEMinus15Relative() {
        for (double[] pair : REFERENCE) {
            double tolerance = Math.max(1e-15 * Math.abs(pair[1]), 1e-300);
            assertEquals(pair[1], Erf.erf(pair[0]), tolerance, "erf(" + pair[0] + ")");
        }
    }

    @Test
    void isOdd() {
        for (double x = -5; x <= 5; x += 0.01) {
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0, "erf(-" + x + ")");
        }
    }
}
