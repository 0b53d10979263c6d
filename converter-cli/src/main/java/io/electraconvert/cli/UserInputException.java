package io.electraconvert.cli;

import io.electraconvert.error.BadInputException;

/** A problem with what the user asked for, reported as one line with exit code 1. */
public class UserInputException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(null, message);
    }
}
