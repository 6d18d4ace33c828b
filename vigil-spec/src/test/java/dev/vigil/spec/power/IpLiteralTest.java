package dev.vigil.spec.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "192.168.4.61, 192.168.4.61",
    "::, 0:0:0:0:0:0:0:0",
    "::1, 0:0:0:0:0:0:0:1",
    "fe80::1, fe80:0:0:0:0:0:0:1",
    "FD00::61, fd00:0:0:0:0:0:0:61",
    "2001:db8::8:800:200c:417a, 2001:db8:0:0:8:800:200c:417a",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "1::, 1:0:0:0:0:0:0:0",
    "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
    "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
    "::ffff:192.168.4.61, 0:0:0:0:0:ffff:c0a8:43d"
  })
  void parsesLiteralsToTheSameBytesAsTheJdk(String text, String expectedV6Form) throws Exception {
    byte[] parsed = IpLiteral.parse(text);
    // The JDK parses literals without a lookup too; it is the reference for the bytes.
    byte[] jdk = InetAddress.getByName(text).getAddress();
    if (parsed.length == 16 && jdk.length == 4) {
      // The JDK turns ::ffff:a.b.c.d into an IPv4 address; the spec keeps what was written.
      assertThat(java.util.Arrays.copyOfRange(parsed, 12, 16)).isEqualTo(jdk);
    } else {
      assertThat(parsed).isEqualTo(jdk);
    }
    if (parsed.length == 16) {
      assertThat(v6Form(parsed)).isEqualTo(expectedV6Form);
    }
    assertThat(IpLiteral.toInetAddress(text)).isEqualTo(InetAddress.getByName(text));
  }

  private static String v6Form(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "999.1.1.1",
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "1.2.3.04",
        "0x7f.0.0.1",
        "1.2.3.",
        ".1.2.3",
        " 1.2.3.4",
        "1.2.3.4 ",
        "\u0661.2.3.4",
        "localhost",
        "nas.invalid",
        "storage",
        "",
        ":",
        ":::",
        "1:::2",
        "1::2::3",
        ":1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:",
        "1::2:",
        ":1::2",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        "12345::",
        "::g",
        "::\uff21",
        "::ffff:999.1.1.1",
        "::1.2.3",
        "1.2.3.4::",
        "1.2.3.4:1::",
        "[::1]",
        "fe80::1%eth0",
        ".1:2::"
      })
  void rejectsAnythingButALiteral(String text) {
    assertThatThrownBy(() -> IpLiteral.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "expected an IP address literal such as 192.168.4.61 or fd00::61 (host names are not"
                + " resolved), got '"
                + text
                + "'");
  }

  @org.junit.jupiter.api.Test
  void nullIsRejectedToo() {
    assertThatThrownBy(() -> IpLiteral.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
