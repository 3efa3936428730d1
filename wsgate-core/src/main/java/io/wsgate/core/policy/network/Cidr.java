package io.wsgate.core.policy.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An address range in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or one address. Parses
 * literals only: never a DNS lookup.
 *
 * @param network the network address's bytes (4 or 16)
 * @param prefix  the prefix length in bits
 * @param text    the range as given
 */
record Cidr(byte[] network, int prefix, String text) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** Checks the fields. */
    public Cidr {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(text, "text");
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range in '" + text + "'");
        }
    }

    /**
     * @param text an address or a CIDR range
     * @return the range
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "CIDR");
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(addr).orElseThrow(() ->
                new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 2001:db8::/32)"));
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length", e);
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "': prefix must be 0 to " + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix, text);
    }

    /**
     * @param addr text that may be an IP literal
     * @return its bytes (4 for IPv4 and IPv4-mapped IPv6, 16 otherwise) when it is one
     */
    public static java.util.Optional<byte[]> literal(String addr) {
        String a = addr.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (IPV4.matcher(a).matches()) {
            for (String part : a.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return java.util.Optional.empty();
                }
            }
        } else if (!IPV6.matcher(a).matches()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(InetAddress.getByName(a).getAddress());
        } catch (UnknownHostException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * @param address an address's bytes
     * @return true when it lies in this range (an IPv4 address never matches an IPv6 range, and back)
     */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
