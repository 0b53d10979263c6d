package io.electraconvert.hf.formats.h5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataSpace;
import io.jhdf.storage.HdfBackingStorage;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * HDF5 datatypes and attributes jHDF 0.13 cannot write on its own, given to it as pre-encoded messages: variable-
 * length ASCII strings (h5py's form for Python {@code bytes}, which the golden Keras files use), fixed-length
 * null-padded ASCII strings (numpy {@code |S}, Keras' chunked attributes), IEEE half floats and an empty
 * {@code float64} attribute.
 */
final class H5Types {
    private H5Types() {}

    /** A datatype given as its encoded datatype message, with a function that encodes attribute data. */
    static final class RawDataType extends DataType {
        private final byte[] message;
        private final Function<Object, ByteBuffer> encoder;

        RawDataType(int dataClass, int size, byte[] message, Function<Object, ByteBuffer> encoder) {
            super(dataClass, size);
            this.message = message.clone();
            this.encoder = encoder;
        }

        @Override
        public Class<?> getJavaType() {
            return Object.class;
        }

        @Override
        public Object fillData(ByteBuffer buffer, int[] dimensions, HdfBackingStorage hdfBackingStorage) {
            throw new UnsupportedOperationException("write-only datatype");
        }

        @Override
        public ByteBuffer toBuffer() {
            return ByteBuffer.wrap(message.clone());
        }

        @Override
        public ByteBuffer encodeData(Object data) {
            return encoder.apply(data);
        }
    }

    /** {@code <f2}: IEEE 754 binary16, little-endian (what h5py writes for numpy float16). */
    static DataType float16() {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x11); // class 1 (floating point), version 1
        b.put((byte) 0x20); // little-endian, no padding, mantissa normalization 2 (implied msb)
        b.put((byte) 15);   // sign bit location
        b.put((byte) 0);
        b.putInt(2);        // size
        b.putShort((short) 0).putShort((short) 16); // bit offset, precision
        b.put((byte) 10).put((byte) 5).put((byte) 0).put((byte) 10); // exponent location/size, mantissa location/size
        b.putInt(15);       // exponent bias
        return new RawDataType(FloatingPoint.CLASS_ID, 2, b.array(), d -> {
            throw new UnsupportedOperationException("float16 attributes are not written");
        });
    }

    /** The float32 type jHDF writes ({@code <f4}). */
    static DataType float32() {
        return FloatingPoint.FLOAT;
    }

    /** Variable-length string datatype (class 9, type string, null-terminated, ASCII) over unsigned bytes. */
    static byte[] vlenAsciiStringMessage() {
        ByteBuffer b = ByteBuffer.allocate(8 + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x19); // class 9 (variable length), version 1
        b.put((byte) 0x01); // type 1 = string, padding 0 = null terminate
        b.put((byte) 0x00); // character set 0 = ASCII
        b.put((byte) 0x00);
        b.putInt(16);       // 4-byte length + 8-byte collection address + 4-byte object index
        // base type: 8-bit unsigned integer (H5T_NATIVE_UCHAR)
        b.put((byte) 0x10).put((byte) 0).put((byte) 0).put((byte) 0);
        b.putInt(1);
        b.putShort((short) 0).putShort((short) 8);
        return b.array();
    }

    /** Fixed-length, null-padded ASCII strings of {@code width} bytes (numpy {@code |S<width>} via h5py). */
    static DataType fixedAsciiNullPadded(int width) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x13); // class 3 (string), version 1
        b.put((byte) 0x01); // padding 1 = null pad, character set 0 = ASCII
        b.put((byte) 0).put((byte) 0);
        b.putInt(width);
        return new RawDataType(3, width, b.array(), data -> {
            String[] strings = (String[]) data;
            ByteBuffer out = ByteBuffer.allocate(strings.length * width);
            for (String s : strings) {
                byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
                out.put(bytes).put(new byte[width - bytes.length]);
            }
            return out.flip();
        });
    }

    /** An empty 1-D {@code float64} array type (Keras' {@code top_level_model_weights/weight_names}). */
    static DataType emptyFloat64() {
        byte[] message = bytes(FloatingPoint.DOUBLE.toBuffer());
        return new RawDataType(FloatingPoint.CLASS_ID, 8, message, d -> ByteBuffer.allocate(0));
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        d.rewind();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    /** A simple dataspace of the given shape; an empty shape is a scalar dataspace. */
    static DataSpace dataSpace(long[] shape) {
        if (shape.length == 0) {
            return DataSpace.fromObject(0.0f);
        }
        int[] ones = new int[shape.length];
        Arrays.fill(ones, 1);
        return DataSpace.modifyDimensions(DataSpace.fromObject(Array.newInstance(float.class, ones)), shape);
    }

    /** An attribute given by explicit datatype, dataspace and data (passed to the datatype's encoder). */
    record RawAttribute(String name, Node node, DataType type, DataSpace space, Object data) implements Attribute {
        static RawAttribute strings(String name, Node node, DataType type, List<String> values) {
            return new RawAttribute(name, node, type, dataSpace(new long[] {values.size()}), values.toArray(String[]::new));
        }

        @Override
        public Node getNode() {
            return node;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public long getSize() {
            return space.getTotalLength();
        }

        @Override
        public long getSizeInBytes() {
            return getSize() * type.getSize();
        }

        @Override
        public int[] getDimensions() {
            return space.getDimensions();
        }

        @Override
        public long[] getDimensionsAsLong() {
            return space.getDimensionsAsLong();
        }

        @Override
        public Object getData() {
            return data;
        }

        @Override
        public Class<?> getJavaType() {
            return Object.class;
        }

        @Override
        public boolean isScalar() {
            return space.getDimensions().length == 0;
        }

        @Override
        public boolean isEmpty() {
            return getSize() == 0;
        }

        @Override
        public ByteBuffer getBuffer() {
            return type.encodeData(data);
        }

        @Override
        public DataSpace getDataSpace() {
            return space;
        }

        @Override
        public DataType getDataType() {
            return type;
        }
    }
}
