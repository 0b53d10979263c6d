package io.electraconvert.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HalfPrecisionTest {
    @Test
    void everyHalfRoundTripsExactly() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfPrecision.float16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                continue;
            }
            assertEquals((short) bits, HalfPrecision.floatToFloat16(f), Integer.toHexString(bits));
        }
    }

    @Test
    void narrowingRoundsToNearestEven() {
        assertEquals(0x3c00, HalfPrecision.floatToFloat16(1f + 0x1p-11f) & 0xffff);       // tie -> even (1.0)
        assertEquals(0x3c02, HalfPrecision.floatToFloat16(1f + 3 * 0x1p-11f) & 0xffff);   // tie -> even (1 + 2^-9)
        assertEquals(0x7bff, HalfPrecision.floatToFloat16(65504f) & 0xffff);              // max half
        assertEquals(0x7c00, HalfPrecision.floatToFloat16(65520f) & 0xffff);              // rounds to +inf
        assertEquals(0x0001, HalfPrecision.floatToFloat16(0x1p-24f) & 0xffff);            // smallest subnormal
        assertEquals(0x0000, HalfPrecision.floatToFloat16(0x1p-25f) & 0xffff);            // tie -> even (0)
        assertEquals(0x3f80, HalfPrecision.floatToBfloat16(1f) & 0xffff);
        assertEquals(0x3f80, HalfPrecision.floatToBfloat16(Float.intBitsToFloat(0x3f808000)) & 0xffff); // tie -> even
        assertEquals(0x3f82, HalfPrecision.floatToBfloat16(Float.intBitsToFloat(0x3f818000)) & 0xffff); // tie -> even
        assertEquals(1.5f, HalfPrecision.bfloat16ToFloat((short) 0x3fc0));
    }
}
