package io.electraconvert.hf.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.electraconvert.hf.io.SlabLayout.Piece;
import io.electraconvert.hf.io.SlabLayout.Unit;
import io.electraconvert.testsupport.Fixtures;
import io.electraconvert.tfreader.bundle.TensorInfo;
import io.electraconvert.tfreader.TfCheckpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlabLayoutTest {
    /** Every checkpoint variable, kernels ("/kernel") to be transposed, as the converter would ask for them. */
    static List<TensorSource> sources(TfCheckpoint ckpt) {
        List<TensorSource> sources = new ArrayList<>();
        for (TensorInfo t : ckpt.tensors()) {
            if (t.knownDtype().orElseThrow().isFloatingPoint()) {
                sources.add(new TensorSource(t, t.name().endsWith("/kernel")));
            }
        }
        return sources;
    }

    @Test
    void piecesCoverEveryTensorInOrderAndOnlyCopiesAreSplit() {
        try (TfCheckpoint ckpt = TfCheckpoint.open(Fixtures.checkpoint("small"))) {
            List<TensorSource> sources = sources(ckpt);
            long largestKernel = sources.stream().filter(TensorSource::transpose).mapToLong(TensorSource::outputBytes).max().orElseThrow();
            for (int minSlab : new int[] {4, 1000, 64 << 10, 4 << 20}) {
                SlabLayout layout = SlabLayout.of(sources, minSlab);
                assertEquals(Math.max(minSlab, largestKernel), layout.slabBytes(), "slab holds the largest kernel");
                List<Piece> all = new ArrayList<>();
                for (int u = 0; u < layout.units().size(); u++) {
                    Unit unit = layout.units().get(u);
                    assertTrue(unit.bytes() <= layout.slabBytes(), "unit within the slab");
                    int offset = 0;
                    for (int p = 0; p < unit.pieces().size(); p++) {
                        Piece piece = unit.pieces().get(p);
                        assertEquals(offset, piece.slabOffset(), "pieces packed back to back");
                        assertEquals(0, piece.length() % 4, "whole float32 elements");
                        if (piece.from() == 0) {
                            assertEquals(u, layout.firstUnit()[piece.tensor()]);
                            assertEquals(p, layout.firstPiece()[piece.tensor()]);
                        }
                        offset += piece.length();
                        all.add(piece);
                    }
                }
                int k = 0;
                for (int t = 0; t < sources.size(); t++) {
                    TensorSource source = sources.get(t);
                    long from = 0;
                    do {
                        Piece piece = all.get(k++);
                        assertEquals(t, piece.tensor(), "tensors in order");
                        assertEquals(from, piece.from(), "no gap or overlap in " + source.info().name());
                        if (!source.copiesAsStored()) {
                            assertEquals(source.outputBytes(), piece.length(), "whole: " + source.info().name());
                        }
                        from += piece.length();
                    } while (from < source.outputBytes());
                    assertEquals(source.outputBytes(), from);
                }
                assertEquals(all.size(), k, "nothing but the tensors");
            }
            assertEquals(1, SlabLayout.of(sources, 4 << 20).units().size(), "a small model fits one slab");
        }
    }
}
