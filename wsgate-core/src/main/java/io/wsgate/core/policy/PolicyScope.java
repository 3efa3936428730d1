package io.wsgate.core.policy;

/** The scopes that hold policies, outermost first. */
public enum PolicyScope {
    /** The gateway's own policies: they apply to every API. */
    GLOBAL("global"),
    /** A product's policies: they apply to the APIs of the product, for requests of that product. */
    PRODUCT("product"),
    /** An API's own policies. */
    API("API"),
    /** The policies of the API's onHandshake operation, the innermost scope of handshake policies. */
    ON_HANDSHAKE("onHandshake"),
    /** The policies of the API's onMessage operation, the innermost scope of message policies. */
    ON_MESSAGE("onMessage");

    private final String label;

    PolicyScope(String label) {
        this.label = label;
    }

    /** @return the scope's name in messages and in an explained chain */
    public String label() {
        return label;
    }

    /** @return true for the scopes of an API itself, where a policy inapplicable to handshakes is refused */
    public boolean isApiLevel() {
        return this == API || this == ON_HANDSHAKE || this == ON_MESSAGE;
    }
}
