package io.electraconvert.error;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Root of every failure the library reports about what it was given: a file that is missing, malformed,
 * unsupported or contradicts another, or a converted model that does not match its checkpoint. The message is one
 * line, {@code <file>: <problem>} (control characters escaped), fit to show a user as it is; tools map the
 * subclasses to exit codes in one place.
 */
public class ElectraConvertException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public ElectraConvertException(Path file, String problem) {
        this(file, problem, null);
    }

    public ElectraConvertException(Path file, String problem, Throwable cause) {
        super(oneLine(file == null ? problem : name(file) + ": " + problem), cause);
        this.file = file;
    }

    /** How a message names {@code file}: {@code -}, which the toolkit reads as standard input, as {@code <stdin>}. */
    private static String name(Path file) {
        return file.toString().equals("-") ? "<stdin>" : file.toString();
    }

    /** The file the problem is in, or null when it concerns no one file (an option value, an input sentence). */
    public Path file() {
        return file;
    }

    /**
     * Escapes control and line-separator characters (a corrupt file can put {@code \n} or {@code \r} in a tensor
     * name) so a message stays one line.
     */
    public static String oneLine(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (control && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (control) {
                    sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }
}
