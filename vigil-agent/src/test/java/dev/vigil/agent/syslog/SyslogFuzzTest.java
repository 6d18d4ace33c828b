package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property and fuzz tests of the parser and the framer. Each property runs {@code vigil.fuzz.tries}
 * inputs (2000 by default, 1,000,000 with -Plong): the module's surefire configuration passes it to
 * jqwik as {@code jqwik.tries.default}.
 */
class SyslogFuzzTest {
  static final SyslogParser PARSER = new SyslogParser();
  static final Instant NOW = Instant.parse("2026-01-12T10:00:00Z");
  static final EntryMapper MAPPER =
      new EntryMapper(
          Map.of("cluster", "lab", "host", "static-is-overridden"),
          java.time.Duration.ofDays(7),
          java.time.Duration.ofMinutes(10));
  static final AtomicLong inputs = new AtomicLong();

  @BeforeContainer
  static void resetCount() {
    inputs.set(0);
  }

  @AfterContainer
  static void report() {
    System.out.println("SyslogFuzzTest: " + inputs.get() + " inputs, no exception");
    // Proves the configured count really ran (three properties, each at least tries() inputs).
    assertThat(inputs.get()).isGreaterThanOrEqualTo(3L * tries());
  }

  static int tries() {
    return Integer.getInteger("vigil.fuzz.tries", 2000);
  }

  /** Random bytes, then syslog-shaped strings with random damage. */
  @Provide
  Arbitrary<byte[]> syslogish() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<String> pri =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300).map(i -> "<" + i + ">"),
            Arbitraries.of("", "<", "<>", "<13", "<013>", "<9999>"));
    Arbitrary<String> header =
        Arbitraries.of(
            "1 2026-01-12T10:00:00Z h a p m ",
            "1 - - - - - ",
            "1 2026-01-12T10:00:00.123456789+05:30 ",
            "Jan 12 10:00:00 ",
            "Feb 29 10:00:00 ",
            "Dec 31 23:59:59.999 UTC: ",
            "123: *Mar  1 18:46:11.123: ",
            "77: core: Jan 12 09:57:00 UTC: ",
            "2026-01-12T10:00:00 ",
            ": 2026 Jan 12 09:50:00 UTC: ",
            "date=2026-01-12 time=10:59:00 ",
            "");
    Arbitrary<String> body =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(80),
            Arbitraries.strings().withChars("[]\"\\= @%-:").ofMaxLength(40),
            Arbitraries.of(
                "[x@1 a=\"b\"] m",
                "[x@1 a=\"b\\\"\"][y z=\"\"]",
                "[",
                "[x a=\"unterminated",
                "%ASA-6-302013: Built",
                "%SYS-5-",
                "sshd[1]: hi",
                "a=1 b=\"2\" c=3 eventtime=99999999999999999999",
                "\uFEFFbom"));
    Arbitrary<byte[]> shaped =
        Combinators.combine(pri, header, body)
            .as((p, h, b) -> (p + h + b).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, shaped);
  }

  @Property
  void parserNeverThrowsAndAlwaysYieldsAnEntry(@ForAll("syslogish") byte[] input) {
    runParser(input);
  }

  static LokiEntry uncheckedDecode(byte[] record) {
    try {
      return LokiEntry.decode(record);
    } catch (java.io.IOException e) {
      throw new AssertionError("record does not decode: " + e.getMessage(), e);
    }
  }

  static void runParser(byte[] input) {
    inputs.incrementAndGet();
    SyslogMessage m = PARSER.parse(input, NOW, "192.0.2.1");
    assertThat(m).isNotNull();
    assertThat(m.severity()).isBetween(0, 7);
    assertThat(m.facility()).isBetween(0, 23);
    assertThat(m.hostname()).isNotEmpty();
    if (m.parseError() != null && m.parseError().startsWith("internal")) {
      throw new AssertionError(
          "parser bug on input " + new String(input, StandardCharsets.ISO_8859_1));
    }
    RawMessage raw = new RawMessage(input, NOW, "192.0.2.1", "udp", input.length % 7 == 0);
    LokiEntry e = MAPPER.map(raw, m);
    assertThat(e.labels()).containsKeys("host", "app", "severity", "facility", "listener");
    // The receive path writes the journal record directly; it must read back as the entry, in
    // the same metadata order (compared through the entry's own encoding, which keeps order).
    assertThat(uncheckedDecode(MAPPER.encode(raw, m)).encode()).isEqualTo(e.encode());
  }

  @Property
  void framerNeverThrowsAndLosesNoDelimitedFrame(
      @ForAll("frames") List<String> frames, @ForAll("splits") List<Integer> splits) {
    inputs.incrementAndGet();
    StringBuilder sb = new StringBuilder();
    for (String f : frames) {
      sb.append(f).append('\n');
    }
    byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
    EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(64, "tcp"));
    int pos = 0;
    int i = 0;
    while (pos < all.length) {
      int n = Math.min(all.length - pos, 1 + splits.get(i++ % splits.size()));
      ch.writeInbound(Unpooled.wrappedBuffer(all, pos, n));
      pos += n;
    }
    ch.finish();
    int count = 0;
    List<?> read;
    while ((read = ch.readInbound()) != null) {
      count += read.size();
    }
    assertThat(count).isEqualTo(frames.size());
  }

  @Property
  void framerSurvivesArbitraryBytes(@ForAll @Size(max = 200) byte[] bytes) {
    inputs.incrementAndGet();
    EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(32, "tcp"));
    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    ch.finish();
    List<RawMessage> read;
    while ((read = ch.readInbound()) != null) {
      for (RawMessage m : read) {
        assertThat(m.bytes().length).isLessThanOrEqualTo(32);
        runParser(m.bytes());
      }
    }
  }

  @Provide
  Arbitrary<List<String>> frames() {
    // Frames that start with '<' (so the connection is non-transparent) and hold no delimiter.
    // Sizes kept small so a million tries stay within minutes.
    return Arbitraries.strings()
        .excludeChars('\n', '\0')
        .ofMaxLength(90)
        .map(s -> "<13>" + s.replace('\r', ' '))
        .list()
        .ofMinSize(1)
        .ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<Integer>> splits() {
    return Arbitraries.integers().between(0, 120).list().ofMinSize(1).ofMaxSize(4);
  }
}
