package io.electraconvert.tfreader.meta;

import io.electraconvert.error.BadInputException;
import com.google.protobuf.ByteString;
import io.electraconvert.tfreader.proto.AttrValue;
import io.electraconvert.tfreader.proto.DataType;
import io.electraconvert.tfreader.proto.NodeDef;
import io.electraconvert.tfreader.proto.TensorProto;
import io.electraconvert.tfreader.proto.TensorShapeProto;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One node of a {@link MetaGraphFile}: a {@code NodeDef}. */
public final class GraphNode {
    /** More elements than a shape or axis constant has; larger constants are not decoded into a long[]. */
    public static final int MAX_DECODED_ELEMENTS = 1 << 20;

    private final Path file;
    private final NodeDef node;

    GraphNode(Path file, NodeDef node) {
        this.file = file;
        this.node = node;
    }

    public String name() {
        return node.getName();
    }

    public String op() {
        return node.getOp();
    }

    /** Input tensors ({@code node} or {@code node:1}) then control inputs ({@code ^node}), as TensorFlow lists them. */
    public List<String> inputs() {
        return node.getInputList();
    }

    public String device() {
        return node.getDevice();
    }

    public Map<String, AttrValue> attrs() {
        return node.getAttrMap();
    }

    /**
     * The value of a {@code Const} node of dtype int32 or int64, row-major, from {@code tensor_content}
     * (little-endian) or {@code int_val} / {@code int64_val}, where fewer values than elements repeat the last one
     * and none means zeros (TensorFlow's rules). Anything else is a one-line {@link BadInputException}.
     */
    public long[] intConstant() {
        if (!op().equals("Const") || !attrs().containsKey("value") || !attrs().get("value").hasTensor()) {
            throw problem("is a " + op() + " node, not a Const with a tensor value");
        }
        TensorProto tensor = attrs().get("value").getTensor();
        int width = switch (tensor.getDtype()) {
            case DT_INT32 -> 4;
            case DT_INT64 -> 8;
            default -> throw problem("holds a " + dtypeName(tensor) + " constant, not int32 or int64");
        };
        int count = elementCount(tensor.getTensorShape());
        ByteString content = tensor.getTensorContent();
        long[] values = new long[count];
        if (!content.isEmpty()) {
            if (content.size() != (long) count * width) {
                throw problem("has " + content.size() + " bytes of tensor_content for " + count + " elements of "
                        + width + " bytes");
            }
            var bytes = content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                values[i] = width == 4 ? bytes.getInt() : bytes.getLong();
            }
            return values;
        }
        List<? extends Number> listed = width == 4 ? tensor.getIntValList() : tensor.getInt64ValList();
        if (listed.size() > count) {
            throw problem("lists " + listed.size() + " values for " + count + " elements");
        }
        for (int i = 0; i < count && !listed.isEmpty(); i++) {
            values[i] = listed.get(Math.min(i, listed.size() - 1)).longValue();
        }
        return values;
    }

    private int elementCount(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            throw problem("has a constant of unknown rank");
        }
        long count = 1;
        for (TensorShapeProto.Dim dim : shape.getDimList()) {
            if (dim.getSize() < 0) {
                throw problem("has a constant with dimension " + dim.getSize());
            }
            // saturated just past the limit, so the product cannot overflow (and a 0 dimension still gives 0)
            count = Math.min(count * Math.min(dim.getSize(), MAX_DECODED_ELEMENTS + 1L), MAX_DECODED_ELEMENTS + 1L);
        }
        if (count > MAX_DECODED_ELEMENTS) {
            throw problem("has a constant of more than " + MAX_DECODED_ELEMENTS + " elements");
        }
        return (int) count;
    }

    private static String dtypeName(TensorProto tensor) {
        DataType dtype = tensor.getDtype();
        return dtype == DataType.UNRECOGNIZED ? "dtype " + tensor.getDtypeValue() : dtype.name();
    }

    private BadInputException problem(String what) {
        return new BadInputException(file, "node '" + name() + "' " + what);
    }

    @Override
    public String toString() {
        return name() + " (" + op() + ")";
    }
}
