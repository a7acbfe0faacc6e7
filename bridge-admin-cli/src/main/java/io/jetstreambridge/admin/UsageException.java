package io.jetstreambridge.admin;

/** A command line that names something unusable, such as a {@code --config} file that cannot be read. */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
