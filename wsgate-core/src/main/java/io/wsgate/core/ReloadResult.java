package io.wsgate.core;

import java.time.Instant;
import java.util.Objects;

/**
 * What one reload of a gateway's configuration came to: applied, unchanged, or failed with the located error
 * ({@code gateway.yaml:12:7: apis[0].limits.idleTimeout: ...}). Made by the reloading source (e.g.
 * {@code io.wsgate.core.file.ReloadingGatewayFile}), read by whoever asked for the reload, by the admin health
 * page, and by {@link GatewayListener#configReloaded}. Immutable.
 *
 * @param outcome what happened
 * @param message what to tell an operator: for {@link Outcome#FAILED}, the error with its file, line and column
 * @param at      when the reload was attempted, on the configuration's clock
 */
public record ReloadResult(Outcome outcome, String message, Instant at) {

    /** What a reload came to. */
    public enum Outcome {
        /** The new configuration is in force: new handshakes see it, established pairs keep running. */
        APPLIED,
        /** The source had not changed since the configuration in force was read: nothing was done. */
        UNCHANGED,
        /** The source could not be read or loaded: the configuration in force stays. */
        FAILED
    }

    /** Checks that nothing is null. */
    public ReloadResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(at, "at");
    }

    /** @return true when the outcome is {@link Outcome#FAILED} */
    public boolean failed() {
        return outcome == Outcome.FAILED;
    }

    /** @return the outcome in lower case, e.g. {@code applied}, as a metric's tag would name it */
    public String outcomeTag() {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @return a short line for a health page: {@code applied}, {@code unchanged}, or {@code failed: <message>} */
    public String describe() {
        return failed() ? "failed: " + message : outcomeTag();
    }
}
