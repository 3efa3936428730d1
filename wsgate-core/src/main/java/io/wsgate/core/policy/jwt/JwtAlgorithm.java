package io.wsgate.core.policy.jwt;

/** The JWS algorithms {@link JwtValidation} verifies. {@code none} is never accepted. */
public enum JwtAlgorithm {
    /** HMAC with SHA-256; a secret of at least 32 bytes. */
    HS256(32),
    /** HMAC with SHA-384; a secret of at least 48 bytes. */
    HS384(48),
    /** HMAC with SHA-512; a secret of at least 64 bytes. */
    HS512(64),
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256(0),
    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RS384(0),
    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RS512(0),
    /** RSASSA-PSS with SHA-256. */
    PS256(0),
    /** RSASSA-PSS with SHA-384. */
    PS384(0),
    /** RSASSA-PSS with SHA-512. */
    PS512(0),
    /** ECDSA on P-256 with SHA-256. */
    ES256(256),
    /** ECDSA on P-384 with SHA-384. */
    ES384(384),
    /** ECDSA on P-521 with SHA-512. */
    ES512(521);

    private final int size;

    JwtAlgorithm(int size) {
        this.size = size;
    }

    /** @return true for the HMAC algorithms */
    public boolean isHmac() {
        return name().startsWith("HS");
    }

    /** @return true for the RSA algorithms (PKCS#1 v1.5 and PSS) */
    public boolean isRsa() {
        return name().startsWith("RS") || name().startsWith("PS");
    }

    /** @return true for the ECDSA algorithms */
    public boolean isEc() {
        return name().startsWith("ES");
    }

    /** @return the least HMAC secret length in bytes, or the EC curve's field size in bits; 0 for RSA */
    int size() {
        return size;
    }
}
