package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MagicPacketTest {
  private static final byte[] MAC = MagicPacket.parseMac("b8:ac:6f:7e:6c:9d");

  @Test
  void packetIsSyncStreamThenMacSixteenTimes() {
    byte[] p = MagicPacket.build(MAC, null);
    String hex = HexFormat.of().formatHex(p);
    assertThat(p).hasSize(102);
    assertThat(hex).isEqualTo("ffffffffffff" + "b8ac6f7e6c9d".repeat(16));
    assertThat(MagicPacket.matches(p, MAC)).isTrue();
    assertThat(MagicPacket.matches(p, MagicPacket.parseMac("d0:94:66:30:d6:63"))).isFalse();
  }

  @Test
  void secureOnPasswordIsAppended() {
    byte[] six = MagicPacket.build(MAC, MagicPacket.parseSecureOn("01:02:03:04:05:06"));
    assertThat(six).hasSize(108);
    assertThat(HexFormat.of().formatHex(six, 102, 108)).isEqualTo("010203040506");
    byte[] four = MagicPacket.build(MAC, MagicPacket.parseSecureOn("c0-a8-01-02"));
    assertThat(four).hasSize(106);
    assertThat(HexFormat.of().formatHex(four, 102, 106)).isEqualTo("c0a80102");
    byte[] ascii = MagicPacket.build(MAC, MagicPacket.parseSecureOn("s3cret"));
    assertThat(new String(ascii, 102, 6, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("s3cret");
    assertThat(MagicPacket.matches(six, MAC)).isTrue();
  }

  @Test
  void badInputIsRejectedWithoutEchoingThePassword() {
    assertThatThrownBy(() -> MagicPacket.parseMac("b8:ac:6f:7e:6c"))
        .hasMessageContaining("expected a MAC address");
    assertThatThrownBy(() -> MagicPacket.build(MAC, new byte[5]))
        .hasMessageContaining("4 or 6 bytes");
    assertThatThrownBy(() -> MagicPacket.parseSecureOn("hunter2!"))
        .hasMessageContaining("4 or 6 bytes")
        .hasMessageNotContaining("hunter2");
    assertThat(MagicPacket.parseMac("B8-AC-6F-7E-6C-9D")).isEqualTo(MAC);
  }
}
