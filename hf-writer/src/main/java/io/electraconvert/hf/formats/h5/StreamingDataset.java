package io.electraconvert.hf.formats.h5;

import io.jhdf.ObjectHeader;
import io.jhdf.WritableDatasetImpl;
import io.jhdf.api.Group;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.message.DataLayoutMessage.ContiguousDataLayoutMessage;
import io.jhdf.object.message.DataSpaceMessage;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.object.message.FillValueMessage;
import io.jhdf.object.message.Message;
import io.jhdf.storage.HdfFileChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A contiguous dataset whose bytes are produced only when jHDF writes it, and then in pieces if its producer likes
 * (so a conversion holds a bounded part of one tensor at a time, not the model or a whole embedding table). The
 * first one written also places the string heap.
 */
final class StreamingDataset extends WritableDatasetImpl {
    /** Writes the dataset's bytes from {@code offset} on; returns how many it wrote. */
    @FunctionalInterface
    interface DataWriter {
        long writeAt(HdfFileChannel channel, long offset) throws IOException;
    }

    private final DataType type;
    private final long[] shape;
    private final long dataSize;
    private final DataWriter data;
    private final VlenStringHeap heap;
    private final Runnable afterWrite;

    StreamingDataset(String name, Group parent, DataType type, long[] shape, long dataSize, DataWriter data,
                     VlenStringHeap heap, Runnable afterWrite) {
        super(new float[1], name, parent);
        this.type = type;
        this.shape = shape.clone();
        this.dataSize = dataSize;
        this.data = data;
        this.heap = heap;
        this.afterWrite = afterWrite;
    }

    @Override
    public long write(HdfFileChannel channel, long position) {
        List<Message> messages = new ArrayList<>();
        messages.add(DataTypeMessage.create(type));
        messages.add(DataSpaceMessage.create(H5Types.dataSpace(shape)));
        messages.add(FillValueMessage.NO_FILL);
        Message placeholder = ContiguousDataLayoutMessage.create(0L, 0L);
        messages.add(placeholder);
        int headerSize = new ObjectHeader.ObjectHeaderV2(position, messages).toBuffer().limit();

        long dataAddress = position + headerSize;
        long written;
        try {
            written = data.writeAt(channel, dataAddress);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // jHDF's write cannot throw checked exceptions; KerasH5Writer unwraps
        }
        if (written != dataSize) {
            throw new IllegalStateException(getName() + ": wrote " + written + " bytes, the dataset holds " + dataSize);
        }
        long end = dataAddress + dataSize;
        if (!heap.written() && !heap.isEmpty()) {
            end += heap.writeAt(channel, end);
        }
        messages.set(messages.indexOf(placeholder), ContiguousDataLayoutMessage.create(dataAddress, dataSize));
        ByteBuffer header = new ObjectHeader.ObjectHeaderV2(position, messages).toBuffer();
        while (header.hasRemaining()) {
            channel.write(header, position + header.position());
        }
        channel.position(end);
        afterWrite.run();
        return end;
    }
}
