package dev.pypianalytics.api.protection;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The address a request is counted against.
 *
 * <ul>
 *   <li>The connection's peer, unless the peer is a configured trusted proxy. {@code X-Forwarded-For} is
 *       whatever the sender wrote: read from anyone, it would let a client name a new address for every
 *       request.</li>
 *   <li>Behind trusted proxies, {@code X-Forwarded-For} is read from the right (each proxy appends the
 *       address it was connected from) and the first address that is not a trusted proxy is the client;
 *       whatever the client itself put further left is never reached.</li>
 *   <li>An IPv6 client is its network of {@code ipv6PrefixLength} bits (64 by default): a host is
 *       usually given a whole /64 and could use a new address for every request. IPv4-mapped IPv6
 *       addresses are IPv4 addresses.</li>
 * </ul>
 *
 * <p>Addresses are parsed as literals only (Netty's parser): a header value is never looked up in DNS.
 */
final class ClientAddresses {

    private final List<Range> trustedProxies;
    private final int ipv6PrefixLength;

    /**
     * @param trustedProxies addresses ({@code 10.0.0.7}, {@code ::1}) or CIDR ranges ({@code 10.0.0.0/8},
     *                       {@code fd00::/8})
     */
    ClientAddresses(List<String> trustedProxies, int ipv6PrefixLength) {
        List<Range> ranges = new ArrayList<>();
        for (String proxy : trustedProxies) {
            ranges.add(Range.parse(proxy));
        }
        this.trustedProxies = List.copyOf(ranges);
        this.ipv6PrefixLength = ipv6PrefixLength;
    }

    /**
     * @param remote       the connection's peer (null when unknown)
     * @param forwardedFor the {@code X-Forwarded-For} header's values, in the order received
     * @return the client's address, or its IPv6 network as {@code 2001:db8:1:2::/64}
     */
    String clientOf(InetSocketAddress remote, List<String> forwardedFor) {
        if (remote == null || remote.getAddress() == null) {
            return "unknown";
        }
        InetAddress client = remote.getAddress();
        if (trusted(client) && forwardedFor != null) {
            List<String> hops = new ArrayList<>();
            for (String value : forwardedFor) {
                for (String hop : value.split(",")) {
                    hops.add(hop.strip());
                }
            }
            for (int i = hops.size() - 1; i >= 0 && trusted(client); i--) {
                InetAddress hop = literal(hops.get(i));
                if (hop == null) {
                    // A trusted proxy would have written an address here: what follows is not to be believed.
                    break;
                }
                client = hop;
            }
        }
        return key(client);
    }

    private boolean trusted(InetAddress address) {
        byte[] bytes = address.getAddress();
        return trustedProxies.stream().anyMatch(range -> range.contains(bytes));
    }

    private String key(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4 || ipv6PrefixLength >= 128) {
            return address.getHostAddress();
        }
        byte[] network = Range.masked(bytes, ipv6PrefixLength);
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + ipv6PrefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An IP address written as a literal ({@code 203.0.113.7}, {@code 203.0.113.7:8080}, {@code 2001:db8::1},
     * {@code [2001:db8::1]:443}); null for anything else. IPv4-mapped IPv6 addresses come back as IPv4.
     */
    static InetAddress literal(String text) {
        String address = text.strip();
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            if (end < 0) {
                return null;
            }
            address = address.substring(1, end);
        } else if (address.indexOf(':') > 0 && address.indexOf(':') == address.lastIndexOf(':') && address.indexOf('.') > 0) {
            address = address.substring(0, address.indexOf(':'));
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            return null;
        }
        try {
            // getByAddress never resolves; it turns the 16 bytes of ::ffff:a.b.c.d into the IPv4 address.
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address or a CIDR range. */
    private record Range(byte[] network, int prefixLength) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            InetAddress address = literal(slash < 0 ? text : text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("pypi.api.rate-limit.trusted-proxies: '" + text
                        + "' is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)");
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1).strip());
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("pypi.api.rate-limit.trusted-proxies: '" + text
                        + "' has a prefix length outside 0.." + bits);
            }
            return new Range(masked(address.getAddress(), prefix), prefix);
        }

        boolean contains(byte[] address) {
            return address.length == network.length && java.util.Arrays.equals(masked(address, prefixLength), network);
        }

        static byte[] masked(byte[] address, int prefixLength) {
            byte[] masked = new byte[address.length];
            for (int i = 0; i < address.length; i++) {
                int bits = Math.max(0, Math.min(8, prefixLength - i * 8));
                masked[i] = (byte) (address[i] & (0xff << (8 - bits)));
            }
            return masked;
        }
    }
}
