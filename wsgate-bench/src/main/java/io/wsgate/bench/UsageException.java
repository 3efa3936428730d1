package io.wsgate.bench;

/** A command-line mistake: printed as one line, exit status 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the bad option or value */
    public UsageException(String message) {
        super(message);
    }
}
