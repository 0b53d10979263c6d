package io.electraconvert.hf.h5;

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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A contiguous dataset whose bytes are produced only when jHDF writes it (so a conversion holds one tensor at a
 * time, not the whole model until the file is closed). The first one written also places the string heap.
 */
final class StreamingDataset extends WritableDatasetImpl {
    private final DataType type;
    private final long[] shape;
    private final Supplier<ByteBuffer> bytes;
    private final VlenStringHeap heap;
    private final Runnable afterWrite;

    StreamingDataset(String name, Group parent, DataType type, long[] shape, Supplier<ByteBuffer> bytes,
                     VlenStringHeap heap, Runnable afterWrite) {
        super(new float[1], name, parent);
        this.type = type;
        this.shape = shape.clone();
        this.bytes = bytes;
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
        ByteBuffer data = bytes.get();
        long dataSize = data.remaining();
        long offset = dataAddress;
        while (data.hasRemaining()) {
            offset += channel.write(data, offset);
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
