package io.electraconvert.files;

import io.electraconvert.error.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way the toolkit opens a file it was given or found: it must be a regular file (opening a FIFO blocks
 * until a writer appears, a device such as {@code /dev/zero} never ends), and a file read whole must fit the cap
 * of its kind, checked before a byte is allocated and again while reading (the file may grow meanwhile).
 * {@link #STDIN} ({@code -}) read whole means standard input, under the same cap.
 */
public final class InputFiles {
    /**
     * The path {@code -}: where a file is read whole ({@link #readAllBytes}, {@link #readUtf8}) it names standard
     * input, as for most command-line tools (a file called {@code -} is still {@code ./-}).
     */
    public static final Path STDIN = Path.of("-");
    /** A config a person or tool writes: config.json, hparams (a real one is a few kB; id2label lists can grow). */
    public static final long CONFIG_BYTES = 16L << 20;
    /** Machine-written JSON and text: sharded weights' index files, checkpoint state files, input id batches. */
    public static final long SMALL_TEXT_BYTES = 64L << 20;
    /** A vocabulary: BERT's is 230 kB, the largest multilingual ones a few MB. */
    public static final long VOCAB_BYTES = 64L << 20;

    private InputFiles() {}

    /** {@code file} if it is an existing regular file (following links), else a one-line error saying what it is. */
    public static Path requireRegularFile(Path file, String what) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new BadInputException(file, what + " " + IoErrors.reason(e), e);
        }
        if (attributes.isDirectory()) {
            throw new BadInputException(file, what + " is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            throw new BadInputException(file, what + " is not a regular file (a FIFO, device or socket)");
        }
        return file;
    }

    /** Opens a regular file for reading. */
    public static FileChannel openChannel(Path file, String what) {
        requireRegularFile(file, what);
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new BadInputException(file, "cannot open " + what + ": " + IoErrors.reason(e), e);
        }
    }

    /** The whole of a regular file, or of standard input for {@link #STDIN}, of at most {@code maxBytes}. */
    public static byte[] readAllBytes(Path file, String what, long maxBytes) {
        if (STDIN.equals(file)) {
            return readStandardInput(what, maxBytes);
        }
        requireRegularFile(file, what);
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new BadInputException(file, what + " is " + size + " bytes; no real one exceeds " + maxBytes
                        + ", so it is not read");
            }
            // one byte more than the cap tells a file that grew past it since the size was taken
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw new BadInputException(file, what + " grew past " + maxBytes + " bytes while being read");
            }
            return bytes;
        } catch (IOException e) {
            throw new BadInputException(file, "cannot read " + what + ": " + IoErrors.reason(e), e);
        }
    }

    private static byte[] readStandardInput(String what, long maxBytes) {
        try {
            // a pipe has no size to check first: read one byte past the cap to know it was exceeded
            byte[] bytes = System.in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw new BadInputException(STDIN, what + " exceeds " + maxBytes + " bytes; no real one is that large, so it is not read");
            }
            return bytes;
        } catch (IOException e) {
            throw new BadInputException(STDIN, "cannot read " + what + ": " + IoErrors.reason(e), e);
        }
    }

    /** A regular file (or standard input, see {@link #STDIN}) of at most {@code maxBytes} decoded as strict UTF-8. */
    public static String readUtf8(Path file, String what, long maxBytes) {
        byte[] bytes = readAllBytes(file, what, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file, what + " is not UTF-8 text");
        }
    }

    /**
     * {@code length} bytes of {@code channel} from {@code position}, little-endian; a file that ends before them is
     * a one-line error naming it.
     */
    public static ByteBuffer readAt(Path file, FileChannel channel, long position, int length) throws IOException {
        return readFully(file, channel, position, ByteBuffer.allocate(length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Fills {@code buffer}'s remaining bytes from {@code position} of the file; returns it flipped. */
    public static ByteBuffer readFully(Path file, FileChannel channel, long position, ByteBuffer buffer) throws IOException {
        int length = buffer.remaining();
        long p = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, p);
            if (n < 0) {
                throw new BadInputException(file, "truncated: the file ends at byte " + p + ", inside " + length
                        + " bytes expected at byte " + position);
            }
            p += n;
        }
        return buffer.flip();
    }

    /** Closes a file opened only for reading, where a failure to close loses nothing. */
    public static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to flush
        }
    }
}
