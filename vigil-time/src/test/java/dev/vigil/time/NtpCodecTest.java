package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NtpCodecTest {
  private static final int TRIES = Integer.getInteger("vigil.fuzz.tries", 2000);

  @Test
  void unixEpochIsNtpSeconds2208988800() {
    assertThat(NtpTimestamp.fromEpochNanos(0)).isEqualTo(2_208_988_800L << 32);
    assertThat(NtpTimestamp.toEpochNanos(2_208_988_800L << 32)).isZero();
  }

  @Test
  void halfSecondIsHalfTheFraction() {
    long ntp = NtpTimestamp.fromEpochNanos(500_000_000L);
    assertThat(ntp & 0xFFFF_FFFFL).isEqualTo(0x8000_0000L);
  }

  @Test
  void timestampsAfter2036UseEraOne() {
    Instant t = Instant.parse("2040-03-01T12:00:00.25Z");
    long ntp = NtpTimestamp.fromInstant(t);
    assertThat(ntp >>> 63).as("era 1 seconds wrap below 2^31").isZero();
    assertThat(NtpTimestamp.toInstant(ntp)).isEqualTo(t);
  }

  @Test
  void timestampRoundTripLosesLessThanOneNanosecond() {
    Random r = new Random(42);
    long base = Instant.parse("2026-11-22T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    for (int i = 0; i < TRIES; i++) {
      long n = base + (long) (r.nextDouble() * 2.3e18 - 1.5e18);
      assertThat(NtpTimestamp.toEpochNanos(NtpTimestamp.fromEpochNanos(n))).isBetween(n - 1, n + 1);
    }
  }

  @Test
  void packetRoundTrips() {
    NtpPacket p =
        new NtpPacket(
            LeapIndicator.INSERT_SECOND,
            4,
            NtpMode.SERVER,
            2,
            6,
            -23,
            0x0001_8000,
            0x20,
            0x7F000001,
            1L,
            2L,
            3L,
            4L);
    byte[] bytes = p.encode();
    assertThat(bytes).hasSize(48);
    assertThat(bytes[0] & 0xFF).isEqualTo((1 << 6) | (4 << 3) | 4);
    assertThat(NtpPacket.decode(bytes)).isEqualTo(p);
    assertThat(NtpTimestamp.shortToSeconds(p.rootDelay())).isEqualTo(1.5);
    assertThat(p.referenceIdText()).isEqualTo("127.0.0.1");
  }

  @Test
  void kissCodeIsReadAsAscii() {
    NtpPacket kod =
        new NtpPacket(
            LeapIndicator.UNSYNCHRONISED,
            4,
            NtpMode.SERVER,
            0,
            0,
            0,
            0,
            0,
            NtpPacket.asciiId("RATE"),
            0,
            0,
            0,
            0);
    NtpPacket back = NtpPacket.decode(kod.encode());
    assertThat(back.isKissOfDeath()).isTrue();
    assertThat(back.referenceIdAscii()).isEqualTo("RATE");
  }

  @Test
  void shortPacketIsAClearError() {
    assertThatThrownBy(() -> NtpPacket.decode(new byte[47]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("47 bytes");
  }

  @Test
  void anyFortyEightBytesDecodeAndReencodeIdentically() {
    Random r = new Random(7);
    for (int i = 0; i < TRIES; i++) {
      byte[] b = new byte[48 + r.nextInt(40)];
      r.nextBytes(b);
      byte[] again = NtpPacket.decode(b).encode();
      assertThat(again).isEqualTo(java.util.Arrays.copyOf(b, 48));
    }
  }

  @Test
  void offsetAndDelayFollowRfc5905() {
    // Server 2.5 s ahead; 10 ms each way; 1 ms processing.
    long t1 = 1_000_000_000_000L;
    long t2 = t1 + 10_000_000L + 2_500_000_000L;
    long t3 = t2 + 1_000_000L;
    long t4 = t1 + 21_000_000L;
    double[] od = NtpSample.offsetAndDelay(t1, t2, t3, t4);
    assertThat(od[0]).isCloseTo(2.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(od[1]).isCloseTo(0.020, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void serverAddressesParse() {
    assertThat(NtpServer.parse("time.cloudflare.com"))
        .isEqualTo(new NtpServer("time.cloudflare.com", 123));
    assertThat(NtpServer.parse("127.0.0.1:1123")).isEqualTo(new NtpServer("127.0.0.1", 1123));
    assertThat(NtpServer.parse("[::1]:1123")).isEqualTo(new NtpServer("::1", 1123));
    assertThat(NtpServer.parse("fe80::1")).isEqualTo(new NtpServer("fe80::1", 123));
    assertThat(NtpServer.parse("[::1]:1123").toString()).isEqualTo("[::1]:1123");
    assertThatThrownBy(() -> NtpServer.parse("host:0")).hasMessageContaining("invalid port '0'");
    assertThatThrownBy(() -> NtpServer.parse("host:abc"))
        .hasMessageContaining("invalid port 'abc'");
    assertThatThrownBy(() -> NtpServer.parse("[::1")).hasMessageContaining("unclosed");
    assertThatThrownBy(() -> NtpServer.parse(" ")).hasMessageContaining("empty");
  }

  @Test
  void systemClockHasSubMillisecondResolution() {
    // The 5 ms acceptance budget relies on Instant.now() resolving far below a millisecond.
    long first = WallClock.SYSTEM.epochNanos();
    long distinctSubMs = 0;
    for (int i = 0; i < 10_000 && distinctSubMs == 0; i++) {
      long t = WallClock.SYSTEM.epochNanos();
      if (t != first && (t - first) < 1_000_000L) {
        distinctSubMs = t - first;
      }
    }
    assertThat(distinctSubMs).as("two readings less than 1 ms apart that differ").isPositive();
  }
}
