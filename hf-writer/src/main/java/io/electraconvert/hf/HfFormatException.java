package io.electraconvert.hf;

import java.nio.file.Path;

/** A HuggingFace-side file (config, weights, hparams, vocab) is missing, malformed or contradicts the checkpoint. */
public class HfFormatException extends RuntimeException {
    private final Path file;

    public HfFormatException(Path file, String problem) {
        this(file, problem, null);
    }

    public HfFormatException(Path file, String problem, Throwable cause) {
        super(oneLine(file + ": " + problem), cause);
        this.file = file;
    }

    /** Escapes control and line-separator characters (a corrupt header can put them in a tensor name): one line. */
    private static String oneLine(String text) {
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

    public Path file() {
        return file;
    }
}
