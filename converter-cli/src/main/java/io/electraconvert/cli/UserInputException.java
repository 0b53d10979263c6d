package io.electraconvert.cli;

/** A problem with what the user asked for, reported as one line with exit code 1. */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }
}
