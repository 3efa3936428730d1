/**
 * The wsgate engine, transport-neutral: the gateway and its configuration, the policies, the gateway file, and
 * the ports a transport adapter implements. Its {@code internal} packages are exported only to the wsgate modules
 * that are built with them (as OkHttp exports its internals), never to applications.
 */
// "module": io.wsgate.testing, which the internals are exported to, is built after this module, so javac does not
// find it here. "requires-automatic": Bucket4j and jwks-rsa have no module descriptor, only an Automatic-Module-Name.
@SuppressWarnings({"module", "requires-automatic"})
module io.wsgate.core {
    // The configuration and the policies speak wsgate-api's types.
    requires transitive io.wsgate.api;

    requires com.auth0.jwt;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires io.github.bucket4j.core;
    requires org.slf4j;
    // Optional (a JWKS key set only): JwksKeys checks that it is there and names the artifact to add if not.
    requires static com.auth0.jwks;

    exports io.wsgate.core;
    exports io.wsgate.core.config;
    exports io.wsgate.core.error;
    exports io.wsgate.core.file;
    exports io.wsgate.core.policy;
    exports io.wsgate.core.policy.backend;
    exports io.wsgate.core.policy.custom;
    exports io.wsgate.core.policy.jwt;
    exports io.wsgate.core.policy.limit;
    exports io.wsgate.core.policy.message;
    exports io.wsgate.core.policy.network;
    exports io.wsgate.core.store;
    exports io.wsgate.core.transport;

    // PolicyTester runs a chain as the gateway does, without a gateway.
    exports io.wsgate.core.internal.handshake to io.wsgate.testing;
    exports io.wsgate.core.internal.policy to io.wsgate.testing;

    // Custom policy types of a gateway file (GatewayFileLoader).
    uses io.wsgate.core.config.MessagePolicyFactory;
    uses io.wsgate.core.config.PolicyFactory;
    // The gateway file's limitStore types (wsgate-redis provides redis).
    uses io.wsgate.core.store.LimitStoreFactory;
}
