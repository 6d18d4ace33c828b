package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogFrameDecoderTest {
  static EmbeddedChannel channel(int max) {
    return new EmbeddedChannel(new SyslogFrameDecoder(max, "tcp"));
  }

  static void write(EmbeddedChannel ch, String s) {
    ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
  }

  /** The messages decoded so far, in order (the decoder hands on each read's as one list). */
  static List<RawMessage> drain(EmbeddedChannel ch) {
    List<RawMessage> out = new ArrayList<>();
    List<RawMessage> m;
    while ((m = ch.readInbound()) != null) {
      assertThat(m).isNotEmpty();
      out.addAll(m);
    }
    return out;
  }

  static List<String> texts(List<RawMessage> ms) {
    return ms.stream().map(m -> new String(m.bytes(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void lfAndCrlfDelimitersAreDetected() {
    EmbeddedChannel ch = channel(1024);
    write(ch, "<13>one\n<13>two\r\n<13>three\n");
    assertThat(texts(drain(ch))).containsExactly("<13>one", "<13>two", "<13>three");
  }

  @Test
  void aNulInsideANewlineFramedMessageIsData() {
    EmbeddedChannel ch = channel(1024);
    write(ch, "<13>one\n<13>two\0half\n<13>three\n");
    assertThat(texts(drain(ch))).containsExactly("<13>one", "<13>two\0half", "<13>three");
  }

  @Test
  void aNulFramedConnectionSplitsAtNulOnly() {
    EmbeddedChannel ch = channel(1024);
    // The first trailer decides for the connection; a line end after a NUL trailer is a stray.
    write(ch, "<13>one\0<13>two\nlines\0\n<13>three\0");
    assertThat(texts(drain(ch))).containsExactly("<13>one", "<13>two\nlines", "<13>three");
  }

  @Test
  void anOverlongFirstMessageWithNulsInsideIsOneMessage() {
    EmbeddedChannel ch = channel(1024);
    // No trailer within the first 1 KiB: cut there; the NULs further on are not frame ends.
    String binaryTail = "x".repeat(2000) + "ab\0c".repeat(1000);
    write(ch, "<13>first " + binaryTail + "\n<13>after\n");
    List<RawMessage> out = drain(ch);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).truncated()).isTrue();
    assertThat(new String(out.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("<13>after");
  }

  @Test
  void aTenMegabyteLineIsOneTruncatedMessageAndNothingElse() {
    EmbeddedChannel ch = channel(64 * 1024);
    StringBuilder sb = new StringBuilder("<13>Dec  6 10:00:00 h app: ");
    while (sb.length() < 10_000_000) {
      sb.append("0123456789abcdef");
    }
    String stream = sb + "\n<13>after\n";
    List<RawMessage> out = new ArrayList<>();
    // As TCP reads deliver it: pieces of a few KiB up to 64 KiB.
    int[] sizes = {65_536, 1_448, 7_000, 32_768, 65_535, 1};
    int k = 0;
    for (int i = 0; i < stream.length(); ) {
      int n = Math.min(sizes[k++ % sizes.length], stream.length() - i);
      write(ch, stream.substring(i, i + n));
      out.addAll(drain(ch));
      i += n;
    }
    assertThat(out).hasSize(2);
    assertThat(out.get(0).truncated()).isTrue();
    assertThat(out.get(0).bytes()).hasSize(64 * 1024);
    assertThat(new String(out.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("<13>after");
  }

  @Test
  void octetCountingIsDetectedAndSplitAcrossPackets() {
    EmbeddedChannel ch = channel(1024);
    String a = "<13>1 - h a - - - hello\nworld";
    String b = "<13>x";
    String stream = a.length() + " " + a + b.length() + " " + b;
    for (int i = 0; i < stream.length(); i += 3) {
      write(ch, stream.substring(i, Math.min(stream.length(), i + 3)));
    }
    // The LF inside an octet-counted frame is part of the message.
    assertThat(texts(drain(ch))).containsExactly(a, b);
  }

  @Test
  void splitDelimitedFrameWaitsForItsEnd() {
    EmbeddedChannel ch = channel(1024);
    write(ch, "<13>par");
    assertThat(drain(ch)).isEmpty();
    write(ch, "tial\n");
    assertThat(texts(drain(ch))).containsExactly("<13>partial");
  }

  @Test
  void oversizeDelimitedFrameIsTruncatedFlaggedAndTheStreamContinues() {
    EmbeddedChannel ch = channel(32);
    write(ch, "<13>" + "x".repeat(100) + "\n<13>next\n");
    List<RawMessage> ms = drain(ch);
    assertThat(ms).hasSize(2);
    assertThat(ms.get(0).truncated()).isTrue();
    assertThat(ms.get(0).bytes()).hasSize(32);
    assertThat(new String(ms.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("<13>next");
    assertThat(ms.get(1).truncated()).isFalse();
  }

  @Test
  void oversizeOctetCountedFrameIsTruncatedAndTheRestSkipped() {
    EmbeddedChannel ch = channel(32);
    String big = "<13>" + "y".repeat(200);
    write(ch, big.length() + " " + big.substring(0, 50));
    write(ch, big.substring(50) + "3 <1>");
    List<RawMessage> ms = drain(ch);
    assertThat(ms).hasSize(2);
    assertThat(ms.get(0).truncated()).isTrue();
    assertThat(new String(ms.get(0).bytes(), StandardCharsets.UTF_8))
        .isEqualTo(big.substring(0, 32));
    assertThat(new String(ms.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("<1>");
  }

  @Test
  void garbageOctetHeaderFallsBackToDelimitedFraming() {
    SyslogFrameDecoder decoder = new SyslogFrameDecoder(1024, "tcp");
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    write(ch, "123: %SYS-5-CONFIG_I: Configured\n<13>next\n");
    assertThat(texts(drain(ch))).containsExactly("123: %SYS-5-CONFIG_I: Configured", "<13>next");
    assertThat(decoder.framingErrors()).isEqualTo(1);
  }

  @Test
  void finalMessageWithoutDelimiterIsKeptOnClose() {
    EmbeddedChannel ch = channel(1024);
    write(ch, "<13>first\n<13>no newline at end");
    assertThat(texts(drain(ch))).containsExactly("<13>first");
    ch.finish();
    assertThat(texts(drain(ch))).containsExactly("<13>no newline at end");
  }

  @Test
  void cutOctetCountedFrameIsKeptFlaggedOnClose() {
    EmbeddedChannel ch = channel(1024);
    write(ch, "20 <13>only part");
    ch.finish();
    List<RawMessage> ms = drain(ch);
    assertThat(texts(ms)).containsExactly("<13>only part");
    assertThat(ms.get(0).truncated()).isTrue();
  }

  @Test
  void datagramDecoderTruncatesAndFlags() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new SyslogDatagramDecoder(16, "udp", java.time.Clock.systemUTC()));
    java.net.InetSocketAddress sender = new java.net.InetSocketAddress("127.0.0.1", 40000);
    java.net.InetSocketAddress local = new java.net.InetSocketAddress("127.0.0.1", 5514);
    ch.writeInbound(
        new io.netty.channel.socket.DatagramPacket(
            Unpooled.copiedBuffer("<13>short", StandardCharsets.UTF_8), local, sender));
    ch.writeInbound(
        new io.netty.channel.socket.DatagramPacket(
            Unpooled.copiedBuffer("<13>" + "z".repeat(40), StandardCharsets.UTF_8), local, sender));
    // One datagram, one message: the datagram decoder hands each on by itself.
    List<RawMessage> ms = new ArrayList<>();
    RawMessage m;
    while ((m = ch.readInbound()) != null) {
      ms.add(m);
    }
    assertThat(ms).hasSize(2);
    assertThat(ms.get(0).senderAddress()).isEqualTo("127.0.0.1");
    assertThat(ms.get(0).truncated()).isFalse();
    assertThat(ms.get(1).truncated()).isTrue();
    assertThat(ms.get(1).bytes()).hasSize(16);
  }
}
