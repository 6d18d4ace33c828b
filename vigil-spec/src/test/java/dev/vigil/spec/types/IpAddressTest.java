package dev.vigil.spec.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
  @ParameterizedTest
  @CsvSource({
    "192.168.4.63, 192.168.4.63",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "::, ::",
    "::1, ::1",
    "0:0:0:0:0:0:0:1, ::1",
    "2001:DB8::0:1, 2001:db8::1",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    "fe80::, fe80::",
    "::ffff:10.0.0.1, 10.0.0.1",
    "::FFFF:a00:1, 10.0.0.1",
    "0:0:0:0:0:ffff:10.0.0.1, 10.0.0.1",
    "::10.0.0.1, ::a00:1",
    "64:ff9b::192.0.2.33, 64:ff9b::c000:221"
  })
  void parsesLiteralsAndGivesOneSpellingPerAddress(String text, String canonical) throws Exception {
    IpAddress ip = IpAddress.parse(text);
    assertThat(ip.text()).isEqualTo(text);
    assertThat(ip.canonical()).isEqualTo(canonical);
    // The JDK's own reading of the literal (no lookup happens for a literal) agrees on the bytes.
    assertThat(ip.inetAddress()).isEqualTo(InetAddress.getByName(text));
    assertThat(ip.bytes()).hasSize(text.contains(":") ? 16 : 4);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.0.0",
        "10.0.0.256",
        "10.0.0.1.2",
        "010.0.0.1",
        "10.0.0.01",
        "10..0.1",
        "1e1.0.0.1",
        "+1.0.0.1",
        "::1.2.3",
        "::1.2.3.4.5",
        "::256.0.0.1",
        "1.2.3.4::",
        "1::2::3",
        ":::1",
        ":1::",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "1:2:3:4:5:6:7",
        "12345::1",
        "::g",
        "fe80::1%eth0",
        "[::1]",
        "localhost",
        "example.org",
        "\uff11.0.0.1",
        "::\uff11"
      })
  void refusesAnythingElseWithoutALookup(String text) {
    assertThatThrownBy(() -> IpAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("expected an IP address such as 192.168.4.63, got '");
  }

  @Test
  void longTextIsRefusedAndQuotedShort() {
    for (String text : List.of("1".repeat(46), "1.".repeat(100_000), "1:".repeat(100_000))) {
      assertThatThrownBy(() -> IpAddress.parse(text))
          .hasMessageStartingWith("expected an IP address such as 192.168.4.63, got '")
          .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(150));
    }
  }
}
