package io.electraconvert.tfreader.bundle;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import io.electraconvert.files.IoErrors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code <prefix>.data-NNNNN-of-MMMMM} files of a bundle, opened once. Reads are positioned reads with
 * {@code long} offsets: nothing assumes order or alignment of tensors in a shard.
 */
public final class DataShards implements AutoCloseable {
    private final List<Path> files;
    private final List<FileChannel> channels;
    private final long[] sizes;

    private DataShards(List<Path> files, List<FileChannel> channels, long[] sizes) {
        this.files = files;
        this.channels = channels;
        this.sizes = sizes;
    }

    /** {@code DataFilename} in {@code tensorflow/core/util/tensor_bundle/naming.cc}. */
    public static Path dataFile(Path prefix, int shard, int numShards) {
        return prefix.resolveSibling(String.format(Locale.ROOT, "%s.data-%05d-of-%05d", prefix.getFileName(), shard, numShards));
    }

    /** Opens every shard, failing with the name of the first missing one. */
    public static DataShards open(Path prefix, int numShards) {
        List<Path> files = new ArrayList<>();
        List<FileChannel> channels = new ArrayList<>();
        // grown per shard found, never sized from the (untrusted) header count: a corrupt num_shards of 2^31-1
        // must end at the first missing file, not in a 16 GiB allocation
        List<Long> sizeList = new ArrayList<>();
        try {
            for (int shard = 0; shard < numShards; shard++) {
                Path file = dataFile(prefix, shard, numShards);
                if (!Files.exists(file)) {
                    throw new BadInputException(file, "missing data shard " + (shard + 1) + " of " + numShards);
                }
                FileChannel channel = InputFiles.openChannel(file, "data shard");
                channels.add(channel);
                files.add(file);
                sizeList.add(channel.size());
            }
        } catch (IOException e) {
            closeAll(channels);
            throw new BadInputException(dataFile(prefix, files.size(), numShards), "cannot open data shard: " + IoErrors.reason(e), e);
        } catch (RuntimeException e) {
            closeAll(channels);
            throw e;
        }
        return new DataShards(List.copyOf(files), channels, sizeList.stream().mapToLong(Long::longValue).toArray());
    }

    public List<Path> files() {
        return files;
    }

    public Path file(int shard) {
        return files.get(shard);
    }

    public long size(int shard) {
        return sizes[shard];
    }

    /** Reads {@code length} bytes at {@code offset} of a shard, after checking they lie inside the file. */
    public ByteBuffer read(int shard, long offset, int length, String tensorName) {
        checkBounds(shard, offset, length, tensorName);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(shard, offset, buffer, tensorName);
        return buffer.flip();
    }

    /** Fills {@code target} from {@code offset}; the region must already be bounds-checked. */
    public void readFully(int shard, long offset, ByteBuffer target, String tensorName) {
        FileChannel channel = channels.get(shard);
        long position = offset;
        try {
            while (target.hasRemaining()) {
                int n = channel.read(target, position);
                if (n < 0) {
                    throw new BadInputException(files.get(shard), "truncated data shard: tensor '" + tensorName
                            + "' ends past the end of the file");
                }
                position += n;
            }
        } catch (IOException e) {
            throw new BadInputException(files.get(shard), "cannot read tensor '" + tensorName + "': " + IoErrors.reason(e), e);
        }
    }

    public void checkBounds(int shard, long offset, long length, String tensorName) {
        long end = offset + length;
        if (offset < 0 || length < 0 || end < 0 || end > sizes[shard]) {
            throw new BadInputException(files.get(shard), String.format(Locale.ROOT,
                    "truncated or corrupt data shard: tensor '%s' needs bytes [%d, %d) but the file has %d bytes",
                    tensorName, offset, end, sizes[shard]));
        }
    }

    @Override
    public void close() {
        closeAll(channels);
    }

    private static void closeAll(List<FileChannel> channels) {
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a read-only channel loses nothing
            }
        }
    }
}
