package dev.pypianalytics.api.protection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which address a request counts against. */
class ClientAddressesTests {

    final ClientAddresses behindProxies = new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.10", "fd00::/8"), 64);

    static InetSocketAddress peer(String address) {
        return new InetSocketAddress(address, 40000);
    }

    /** peer | X-Forwarded-For values separated by '|' ("" = none) | client. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            // An untrusted peer is the client, whatever it writes.
            "203.0.113.7; 198.51.100.1;                       203.0.113.7",
            // A trusted proxy without the header is the client (nothing else is known).
            "10.0.0.5;    '';                                 10.0.0.5",
            "10.0.0.5;    198.51.100.1;                       198.51.100.1",
            // Read from the right, past every trusted proxy; the client's own entries on the left are never reached.
            "10.0.0.5;    203.0.113.66, 198.51.100.1, 192.0.2.10;  198.51.100.1",
            // Several header lines are one list, in order.
            "10.0.0.5;    203.0.113.66 | 198.51.100.1;             198.51.100.1",
            // Only trusted proxies: the leftmost.
            "10.0.0.5;    10.9.9.9, 192.0.2.10;               10.9.9.9",
            // Garbage where a proxy should have written an address: the last trusted hop.
            "10.0.0.5;    198.51.100.1, not-an-address;       10.0.0.5",
            "10.0.0.5;    198.51.100.1:5123;                  198.51.100.1",
            "10.0.0.5;    [2001:db8:5:6::1]:443;              2001:db8:5:6:0:0:0:0/64",
            "fd00::1;     2001:db8:5:6:7:8:9:a;               2001:db8:5:6:0:0:0:0/64",
            "10.0.0.5;    ::ffff:198.51.100.1;                198.51.100.1",
            "2001:db8:1:2:3:4:5:6; '';                        2001:db8:1:2:0:0:0:0/64",
    })
    void theClientIsThePeerOrWhatTrustedProxiesSay(String peer, String forwardedFor, String client) {
        List<String> header = forwardedFor.isEmpty() ? null : Arrays.stream(forwardedFor.split("\\|")).map(String::strip).toList();
        assertThat(behindProxies.clientOf(peer(peer), header)).isEqualTo(client);
    }

    @Test
    void hostNamesAreNeverResolved() {
        // A name in the header is not an address: not looked up, not believed.
        assertThat(ClientAddresses.literal("localhost")).isNull();
        assertThat(ClientAddresses.literal("example.org")).isNull();
        assertThat(ClientAddresses.literal("cafe")).isNull();
        assertThat(ClientAddresses.literal("1.2.3")).isNull();
        assertThat(behindProxies.clientOf(peer("10.0.0.5"), List.of("localhost"))).isEqualTo("10.0.0.5");
    }

    @Test
    void theIpv6PrefixIsConfigurable() {
        ClientAddresses perAddress = new ClientAddresses(List.of(), 128);
        ClientAddresses per48 = new ClientAddresses(List.of(), 48);
        assertThat(perAddress.clientOf(peer("2001:db8:1:2::1"), null)).isEqualTo("2001:db8:1:2:0:0:0:1");
        assertThat(per48.clientOf(peer("2001:db8:1:2::1"), null)).isEqualTo("2001:db8:1:0:0:0:0:0/48");
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressIsAStartUpError() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.internal"), 64))
                .hasMessageContaining("'proxy.internal' is not an IP address or CIDR range");
        assertThatThrownBy(() -> new ClientAddresses(List.of("10.0.0.0/33"), 64))
                .hasMessageContaining("prefix length outside 0..32");
    }
}
