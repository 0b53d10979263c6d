package io.electraconvert.tfreader;

import java.nio.file.Path;

/**
 * Base of everything tf-reader throws for a bad or unsupported checkpoint. The message is one line that names
 * the file and the problem, fit to show a user as it is.
 */
public class CheckpointException extends RuntimeException {
    private final Path file;

    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
    }

    /**
     * Escapes control and line-separator characters (a corrupt file can put {@code \n} or {@code \r} in a tensor
     * name) so a message stays one line. Shared by every module's exceptions.
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
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** The file the problem is in. */
    public Path file() {
        return file;
    }
}
