package io.wsgate.core.error;

/**
 * A gateway configuration is invalid. The message names the scope (gateway, product, API,
 * policy) and says how to fix it. Thrown when a configuration is built, never while serving.
 */
public class ConfigurationException extends WsGateException {
    private static final long serialVersionUID = 1L;

    /** @param message the scope, the problem and the fix */
    public ConfigurationException(String message) {
        super(message);
    }

    /**
     * @param scope what is wrong, e.g. {@code "API 'echo'"}
     * @param problem what is wrong with it
     * @param fix how to fix it
     * @return the exception
     */
    public static ConfigurationException of(String scope, String problem, String fix) {
        return new ConfigurationException(scope + ": " + problem + " (" + fix + ")");
    }
}
