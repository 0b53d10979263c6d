package io.electraconvert.cli;

/** The exit-code contract other tools rely on. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Bad input (unreadable, corrupt or unsupported file, existing output) or an I/O failure. */
    public static final int BAD_INPUT = 1;
    /** Wrong command-line usage. */
    public static final int USAGE = 2;
    /** {@code verify}: the converted model's outputs differ from the checkpoint's. */
    public static final int PARITY_FAILURE = 3;
    /** A bug in electra-convert. */
    public static final int INTERNAL = 4;

    private ExitCodes() {}
}
