package io.electraconvert.hf.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the output byte stream of a conversion (its tensors back to back, in write order) into slab loads: units of
 * at most {@code slabBytes} that a worker reads, verifies and transposes into one reusable buffer. Small tensors
 * share a slab (ELECTRA has hundreds of 4 KiB biases and LayerNorm vectors); a tensor copied as stored may be split
 * across slabs; a tensor that must be produced whole (kernels) never is, so the slab is at least the largest of
 * those.
 */
record SlabLayout(int slabBytes, List<Unit> units, int[] firstUnit, int[] firstPiece) {
    /** Output bytes {@code [from, from + length)} of tensor {@code tensor}, at {@code slabOffset} in its unit's slab. */
    record Piece(int tensor, long from, int length, int slabOffset) {}

    /** One slab load. */
    record Unit(List<Piece> pieces) {
        int bytes() {
            Piece last = pieces.get(pieces.size() - 1);
            return last.slabOffset() + last.length();
        }
    }

    /** Default slab size: large enough that reads run at disk speed, small enough for a few to be in flight. */
    static final int MIN_SLAB_BYTES = 4 << 20;

    static SlabLayout of(List<TensorSource> tensors, int minSlabBytes) {
        long largestWhole = tensors.stream().filter(t -> !t.copiesAsStored()).mapToLong(TensorSource::outputBytes).max().orElse(0);
        if (largestWhole > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of " + largestWhole + " bytes cannot be transposed in memory");
        }
        int slabBytes = (int) Math.max(minSlabBytes, largestWhole) + 3 & ~3;
        List<Unit> units = new ArrayList<>();
        int[] firstUnit = new int[tensors.size()];
        int[] firstPiece = new int[tensors.size()];
        List<Piece> current = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < tensors.size(); i++) {
            TensorSource t = tensors.get(i);
            long bytes = t.outputBytes();
            if (!t.copiesAsStored() && used + bytes > slabBytes) {
                units.add(new Unit(List.copyOf(current)));
                current.clear();
                used = 0;
            }
            long from = 0;
            do {
                if (used == slabBytes) {
                    units.add(new Unit(List.copyOf(current)));
                    current.clear();
                    used = 0;
                }
                int length = (int) Math.min(slabBytes - used, bytes - from); // whole tensors fit, by the check above
                if (from == 0) {
                    firstUnit[i] = units.size();
                    firstPiece[i] = current.size();
                }
                current.add(new Piece(i, from, length, used));
                used += length;
                from += length;
            } while (from < bytes);
        }
        if (!current.isEmpty()) {
            units.add(new Unit(List.copyOf(current)));
        }
        return new SlabLayout(slabBytes, List.copyOf(units), firstUnit, firstPiece);
    }
}
