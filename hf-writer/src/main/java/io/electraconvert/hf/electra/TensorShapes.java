package io.electraconvert.hf.electra;

import io.electraconvert.error.BadInputException;
import io.electraconvert.tfreader.bundle.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Name -> shape view of a checkpoint's index, which is all that recognising ELECTRA and inferring its config need. */
public final class TensorShapes {
    private final Path source;
    private final Map<String, long[]> shapes;

    public TensorShapes(Path source, Map<String, long[]> shapes) {
        this.source = source;
        this.shapes = new LinkedHashMap<>(shapes);
    }

    public static TensorShapes of(Path source, List<TensorInfo> tensors) {
        Map<String, long[]> map = new LinkedHashMap<>();
        tensors.forEach(t -> map.put(t.name(), t.shape()));
        return new TensorShapes(source, map);
    }

    public Path source() {
        return source;
    }

    public Iterable<String> names() {
        return shapes.keySet();
    }

    public boolean has(String name) {
        return shapes.containsKey(name);
    }

    public Optional<long[]> find(String name) {
        return Optional.ofNullable(shapes.get(name)).map(long[]::clone);
    }

    /** Dimension {@code axis} of a tensor that must exist with the given rank. */
    public int dim(String name, int rank, int axis) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new BadInputException(source, "missing variable '" + name + "'");
        }
        if (shape.length != rank) {
            throw new BadInputException(source, "variable '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected rank " + rank);
        }
        if (shape[axis] <= 0 || shape[axis] > Integer.MAX_VALUE) {
            throw new BadInputException(source, "variable '" + name + "' has shape " + Arrays.toString(shape)
                    + ": dimension " + axis + " is not a size an ELECTRA model can have");
        }
        return (int) shape[axis];
    }
}
