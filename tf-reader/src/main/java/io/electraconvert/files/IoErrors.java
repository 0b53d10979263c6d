package io.electraconvert.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The operating system's reason for an I/O failure, in words. Java's file exceptions often carry only the path
 * as their message ({@code AccessDeniedException: /out/x}), which tells a user nothing they did not type.
 */
public final class IoErrors {
    private IoErrors() {}

    /** e.g. "not found", "permission denied", "No space left on device". */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + otherFile(fs);
        }
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "not found";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NotDirectoryException) {
            reason = "a part of the path is not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            reason = "already exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            reason = "directory not empty";
        } else if (e instanceof FileSystemLoopException) {
            reason = "symbolic link loop";
        } else if (e.getMessage() != null && !(e instanceof FileSystemException)) {
            reason = e.getMessage();
        } else {
            reason = "I/O error";
        }
        return reason + (e instanceof FileSystemException fs ? otherFile(fs) : "");
    }

    private static String otherFile(FileSystemException e) {
        return e.getOtherFile() != null ? " (" + e.getOtherFile() + ")" : "";
    }
}
