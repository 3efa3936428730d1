package io.wsgate.core.policy.jwt;

import com.auth0.jwt.algorithms.Algorithm;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One key {@link JwtValidation} verifies signatures with: an algorithm, the key, and optionally its key id
 * ({@code kid}); a token whose header names a {@code kid} is only verified with the key of that id.
 */
public final class JwtKey {

    private final JwtAlgorithm algorithm;
    private final String keyId;
    private final Algorithm verifier;

    private JwtKey(JwtAlgorithm algorithm, String keyId, Algorithm verifier) {
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.verifier = verifier;
    }

    /**
     * @param algorithm HS256, HS384 or HS512
     * @param secret    the shared secret, at least as long as the hash (32, 48 or 64 bytes)
     * @return the key
     * @throws IllegalArgumentException when the algorithm is not HMAC or the secret is too short
     */
    public static JwtKey hmac(JwtAlgorithm algorithm, byte[] secret) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(secret, "secret");
        if (!algorithm.isHmac()) {
            throw new IllegalArgumentException(algorithm + " is not an HMAC algorithm: use HS256, HS384 or HS512 with a secret");
        }
        if (secret.length < algorithm.size()) {
            throw new IllegalArgumentException("an " + algorithm + " secret must be at least " + algorithm.size()
                    + " bytes, got " + secret.length);
        }
        byte[] copy = secret.clone();
        Algorithm a = switch (algorithm) {
            case HS256 -> Algorithm.HMAC256(copy);
            case HS384 -> Algorithm.HMAC384(copy);
            default -> Algorithm.HMAC512(copy);
        };
        return new JwtKey(algorithm, "", a);
    }

    /**
     * @param algorithm HS256, HS384 or HS512
     * @param secret    the shared secret as UTF-8 text
     * @return the key
     */
    public static JwtKey hmac(JwtAlgorithm algorithm, String secret) {
        return hmac(algorithm, Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param algorithm an RSA (RS*, PS*) or EC (ES*) algorithm
     * @param key       the matching public key: RSA, or EC on the algorithm's curve
     * @return the key
     * @throws IllegalArgumentException when the key does not suit the algorithm
     */
    public static JwtKey publicKey(JwtAlgorithm algorithm, PublicKey key) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(key, "key");
        if (algorithm.isRsa()) {
            if (!(key instanceof RSAPublicKey rsa)) {
                throw new IllegalArgumentException(algorithm + " needs an RSA public key, got " + key.getAlgorithm());
            }
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException(algorithm + " needs an RSA key of at least 2048 bits, got "
                        + rsa.getModulus().bitLength());
            }
            Algorithm a = switch (algorithm) {
                case RS256 -> Algorithm.RSA256(rsa, null);
                case RS384 -> Algorithm.RSA384(rsa, null);
                case RS512 -> Algorithm.RSA512(rsa, null);
                case PS256 -> Algorithm.RSA256PSS(rsa, null);
                case PS384 -> Algorithm.RSA384PSS(rsa, null);
                default -> Algorithm.RSA512PSS(rsa, null);
            };
            return new JwtKey(algorithm, "", a);
        }
        if (algorithm.isEc()) {
            if (!(key instanceof ECPublicKey ec)) {
                throw new IllegalArgumentException(algorithm + " needs an EC public key, got " + key.getAlgorithm());
            }
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != algorithm.size()) {
                throw new IllegalArgumentException(algorithm + " needs an EC key on the " + algorithm.size()
                        + "-bit curve, got a " + bits + "-bit one");
            }
            Algorithm a = switch (algorithm) {
                case ES256 -> Algorithm.ECDSA256(ec, null);
                case ES384 -> Algorithm.ECDSA384(ec, null);
                default -> Algorithm.ECDSA512(ec, null);
            };
            return new JwtKey(algorithm, "", a);
        }
        throw new IllegalArgumentException(algorithm + " is an HMAC algorithm: use JwtKey.hmac with a secret");
    }

    /**
     * @param keyId the {@code kid} tokens signed with this key carry
     * @return this key with that id
     */
    public JwtKey withKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("key id is blank");
        }
        return new JwtKey(algorithm, keyId, verifier);
    }

    /** @return the algorithm */
    public JwtAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the key id, when one was given */
    public Optional<String> keyId() {
        return keyId.isEmpty() ? Optional.empty() : Optional.of(keyId);
    }

    Algorithm verifier() {
        return verifier;
    }

    /** The algorithm and key id only: never the key. */
    @Override
    public String toString() {
        return "JwtKey[" + algorithm + (keyId.isEmpty() ? "" : ", kid=" + keyId) + "]";
    }
}
