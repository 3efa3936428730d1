package io.wsgate.core.policy.jwt;

import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A verified token's claims as validate-jwt reads them: checked against required values, and kept for the pair. */
final class Claims {

    private static final Logger LOG = LoggerFactory.getLogger(Claims.class);

    private Claims() {
    }

    /**
     * @param claim    a claim of the token
     * @param accepted the values a required claim may have
     * @return true if the claim (a string, or any element of a list) is one of them
     */
    static boolean matches(Claim claim, Set<String> accepted) {
        String s = claim.asString();
        if (s != null) {
            return accepted.contains(s);
        }
        try {
            List<Object> list = claim.asList(Object.class);
            if (list != null) {
                for (Object o : list) {
                    if (o != null && accepted.contains(String.valueOf(o))) {
                        return true;
                    }
                }
                return false;
            }
        } catch (JWTDecodeException e) {
            // not a list
        }
        Object any = claim.as(Object.class);
        return any != null && accepted.contains(String.valueOf(any));
    }

    /**
     * @param jwt the verified token
     * @return its claims as plain values (null claims and unreadable ones left out), immutable
     */
    static Map<String, Object> of(DecodedJWT jwt) {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, Claim> e : jwt.getClaims().entrySet()) {
            if (e.getValue().isNull()) {
                continue;
            }
            try {
                Object value = e.getValue().as(Object.class);
                if (value != null) {
                    out.put(e.getKey(), value);
                }
            } catch (JWTDecodeException ex) {
                LOG.debug("claim '{}' could not be read: {}", e.getKey(), ex.getMessage());
            }
        }
        return Map.copyOf(out);
    }

}
