package org.stemroom.core;

/**
 * A problem the user can act on: a bad file, a wrong preset, a missing model. The message is one line that
 * names the thing at fault and what is wrong with it; the command line prints it without a stack trace and
 * exits with status 1.
 */
public class StemroomException extends Exception {
    private static final long serialVersionUID = 1L;

    public StemroomException(String message) {
        super(message);
    }

    public StemroomException(String message, Throwable cause) {
        super(message, cause);
    }
}
