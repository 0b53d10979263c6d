package io.electraconvert.tfreader.bundle;

import io.electraconvert.error.UnsupportedInputException;
import io.electraconvert.error.BadInputException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.electraconvert.tfreader.proto.BundleEntryProto;
import io.electraconvert.tfreader.proto.BundleHeaderProto;
import io.electraconvert.tfreader.proto.TensorShapeProto;
import io.electraconvert.tfreader.proto.VersionDef;
import io.electraconvert.tfreader.sstable.TableEntry;
import io.electraconvert.tfreader.sstable.TableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The decoded {@code .index} of a tensor bundle: the header (key {@code ""}) and one {@link TensorInfo} per
 * tensor ({@code tensor_bundle.proto}). Keys that start with byte 0 are the per-slice entries of partitioned
 * variables (OrderedCode keys, {@code tensor_bundle.h} {@code AddSlice}); they are not tensors of their own.
 */
public record BundleIndex(int numShards, boolean bigEndian, List<TensorInfo> tensors) {
    /** {@code kTensorBundleVersion} in {@code tensor_bundle.cc}. */
    private static final int READER_VERSION = 1;

    public static BundleIndex read(Path indexFile) {
        List<TableEntry> entries = TableReader.readAll(indexFile);
        if (entries.isEmpty() || entries.get(0).key().length != 0) {
            throw new BadInputException(indexFile, "index has no bundle header entry (empty key)");
        }
        BundleHeaderProto header = parseHeader(indexFile, entries.get(0));
        List<TensorInfo> tensors = new ArrayList<>();
        for (TableEntry entry : entries.subList(1, entries.size())) {
            if (entry.key()[0] == 0) {
                continue; // slice entry of a partitioned variable
            }
            tensors.add(toTensorInfo(indexFile, entry.keyString(), parseEntry(indexFile, entry), header.getNumShards()));
        }
        return new BundleIndex(header.getNumShards(), header.getEndianness() == BundleHeaderProto.Endianness.BIG,
                Collections.unmodifiableList(tensors));
    }

    private static BundleHeaderProto parseHeader(Path indexFile, TableEntry entry) {
        BundleHeaderProto header;
        try {
            header = BundleHeaderProto.parseFrom(entry.value().duplicate());
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException(indexFile, "corrupt bundle header: " + e.getMessage());
        }
        if (header.getNumShards() <= 0) {
            throw new BadInputException(indexFile, "bundle header says " + header.getNumShards() + " data shards");
        }
        if (header.getEndiannessValue() != 0 && header.getEndiannessValue() != 1) {
            throw new BadInputException(indexFile, "bundle header has unknown endianness " + header.getEndiannessValue());
        }
        VersionDef version = header.getVersion();
        // tensor_bundle.cc CheckVersions(header.version(), kTensorBundleVersion, kTensorBundleMinProducer=0, ...)
        if (version.getProducer() < 0 || version.getMinConsumer() > READER_VERSION
                || version.getBadConsumersList().contains(READER_VERSION)) {
            throw new UnsupportedInputException(indexFile, String.format(Locale.ROOT,
                    "bundle format version (producer %d, min consumer %d) is newer than this reader supports (%d)",
                    version.getProducer(), version.getMinConsumer(), READER_VERSION));
        }
        return header;
    }

    private static BundleEntryProto parseEntry(Path indexFile, TableEntry entry) {
        try {
            return BundleEntryProto.parseFrom(entry.value().duplicate());
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException(indexFile, "corrupt index entry for tensor '" + entry.keyString() + "': " + e.getMessage());
        }
    }

    private static TensorInfo toTensorInfo(Path indexFile, String name, BundleEntryProto entry, int numShards) {
        TensorShapeProto shapeProto = entry.getShape();
        if (shapeProto.getUnknownRank()) {
            throw new BadInputException(indexFile, "tensor '" + name + "' has unknown rank");
        }
        long[] shape = new long[shapeProto.getDimCount()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeProto.getDim(i).getSize();
            if (shape[i] < 0) {
                throw new BadInputException(indexFile, "tensor '" + name + "' has negative dimension " + shape[i]);
            }
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw new BadInputException(indexFile, "tensor '" + name + "' has an element count that overflows 64 bits");
            }
        }
        boolean sliced = entry.getSlicesCount() > 0;
        if (!sliced) {
            if (entry.getShardId() < 0 || entry.getShardId() >= numShards) {
                throw new BadInputException(indexFile, "tensor '" + name + "' is in data shard " + entry.getShardId()
                        + " but the bundle has " + numShards + " shards");
            }
            if (entry.getOffset() < 0 || entry.getSize() < 0 || entry.getOffset() + entry.getSize() < 0) {
                throw new BadInputException(indexFile, "tensor '" + name + "' has invalid offset " + entry.getOffset()
                        + " / size " + entry.getSize());
            }
        }
        return new TensorInfo(name, entry.getDtypeValue(), shape, entry.getShardId(), entry.getOffset(), entry.getSize(),
                entry.getCrc32C(), sliced);
    }
}
