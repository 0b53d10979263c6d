package io.electraconvert.tfreader;

import io.electraconvert.error.BadInputException;
import io.electraconvert.files.InputFiles;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The {@code checkpoint} file TensorFlow writes beside its checkpoints: a {@code CheckpointState} message in
 * protobuf text format ({@code tensorflow/core/protobuf/checkpoint_state.proto}). Only
 * {@code model_checkpoint_path} is read. Its value is a text-format string: C escapes ({@code \"}, {@code \\},
 * {@code \n}, octal {@code \303}, hex {@code \xc3}) over UTF-8 bytes, possibly split into adjacent quoted parts.
 * Scanned by hand in linear time: the training machine's paths can be thousands of characters long.
 */
final class CheckpointStateFile {
    private static final String FIELD = "model_checkpoint_path";

    private final Path file;
    private final String text;
    private int pos;

    private CheckpointStateFile(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    /** The value of the first {@code model_checkpoint_path} field. */
    static String modelCheckpointPath(Path file) {
        String text = InputFiles.readUtf8(file, "checkpoint state file", InputFiles.SMALL_TEXT_BYTES);
        return new CheckpointStateFile(file, text).find();
    }

    private String find() {
        for (int lineStart = 0; lineStart < text.length(); ) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            pos = lineStart;
            skipSpaces(lineEnd);
            if (text.startsWith(FIELD, pos)) {
                pos += FIELD.length();
                skipSpaces(lineEnd);
                if (pos < lineEnd && text.charAt(pos) == ':') {
                    pos++;
                    return strings(lineEnd);
                }
            }
            lineStart = lineEnd + 1;
        }
        throw new BadInputException(file, "checkpoint state file has no model_checkpoint_path line");
    }

    /** One or more adjacent quoted strings up to the end of the line, concatenated. */
    private String strings(int lineEnd) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        skipSpaces(lineEnd);
        if (pos >= lineEnd) {
            throw malformed("no value");
        }
        while (pos < lineEnd) {
            char quote = text.charAt(pos);
            if (quote != '"' && quote != '\'') {
                throw malformed("value is not a quoted string");
            }
            pos++;
            while (true) {
                if (pos >= lineEnd) {
                    throw malformed("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == quote) {
                    break;
                }
                if (c == '\\') {
                    escape(lineEnd, bytes);
                } else {
                    int codePoint = text.codePointAt(pos - 1);
                    pos += Character.charCount(codePoint) - 1;
                    bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                }
            }
            skipSpaces(lineEnd);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed("escaped bytes are not UTF-8");
        }
    }

    /** The escape after a backslash ({@code strutil::CUnescape}). */
    private void escape(int lineEnd, ByteArrayOutputStream out) {
        if (pos >= lineEnd) {
            throw malformed("unterminated escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case 'n' -> out.write('\n');
            case 't' -> out.write('\t');
            case 'r' -> out.write('\r');
            case 'a' -> out.write(7);
            case 'b' -> out.write('\b');
            case 'f' -> out.write('\f');
            case 'v' -> out.write(11);
            case '\\', '\'', '"', '?' -> out.write(c);
            case 'x', 'X' -> {
                int value = 0;
                int digits = 0;
                while (digits < 2 && pos < lineEnd && Character.digit(text.charAt(pos), 16) >= 0) {
                    value = value * 16 + Character.digit(text.charAt(pos++), 16);
                    digits++;
                }
                if (digits == 0) {
                    throw malformed("\\x without hex digits");
                }
                out.write(value);
            }
            default -> {
                if (c < '0' || c > '7') {
                    throw malformed("unknown escape \\" + c);
                }
                int value = c - '0';
                for (int digits = 1; digits < 3 && pos < lineEnd && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; digits++) {
                    value = value * 8 + (text.charAt(pos++) - '0');
                }
                out.write(value & 0xff);
            }
        }
    }

    private void skipSpaces(int lineEnd) {
        while (pos < lineEnd && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == '\r')) {
            pos++;
        }
    }

    private BadInputException malformed(String problem) {
        return new BadInputException(file, "malformed model_checkpoint_path in checkpoint state file: " + problem);
    }
}
