package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The parser's hand-written fast paths (plain RFC 3164 stamp, TAG) must give exactly what the
 * regexes give: every input is parsed both ways and the results compared whole.
 */
class SyslogParserFastPathTest {
  static final Instant NOW = Instant.parse("2026-01-12T10:00:00Z");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final SyslogParser FAST =
      new SyslogParser((sender, host) -> sender.endsWith(".50") ? BERLIN : ZoneOffset.UTC, true);
  static final SyslogParser REGEX =
      new SyslogParser((sender, host) -> sender.endsWith(".50") ? BERLIN : ZoneOffset.UTC, false);

  static void same(String line, String sender) {
    byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
    assertThat(FAST.parse(b, NOW, sender)).as(line).isEqualTo(REGEX.parse(b, NOW, sender));
  }

  @Example
  void corpusParsesTheSameBothWays() throws Exception {
    for (SyslogParserCorpusTest.Case c : SyslogParserCorpusTest.load()) {
      assertThat(FAST.parse(c.raw(), NOW, c.sender()))
          .as(c.name())
          .isEqualTo(REGEX.parse(c.raw(), NOW, c.sender()));
    }
  }

  @Example
  void corpusRecordsReadBackAsTheirEntries() throws Exception {
    EntryMapper mapper =
        new EntryMapper(Map.of("cluster", "lab"), Duration.ofDays(7), Duration.ofMinutes(10));
    for (SyslogParserCorpusTest.Case c : SyslogParserCorpusTest.load()) {
      RawMessage raw = new RawMessage(c.raw(), NOW, c.sender(), "tcp", false);
      SyslogMessage m = FAST.parse(raw);
      // Read back, it is the entry, metadata in the same order (the entry's encoding keeps it).
      assertThat(LokiEntry.decode(mapper.encode(raw, m)).encode())
          .as(c.name())
          .isEqualTo(mapper.map(raw, m).encode());
    }
  }

  @Example
  void edgeShapes() {
    String[] lines = {
      "<13>Jan  5 10:00:00 host app: m",
      "<13>Jan 5 10:00:00 host app: m",
      "<13>Jan  12 10:00:00 host app: m",
      "<13>Jan 12 2026 10:00:00 host app: m",
      "<13>Jan 12 10:00:00.123 host app: m",
      "<13>Jan 12 10:00:00 2025 host app: m",
      "<13>Jan 12 10:00:00 UTC host app: m",
      "<13>Jan 12 10:00:00 +0100: app: m",
      "<13>Jan 12 10:00:00 -01:00 host app: m",
      "<13>Jan 12 10:00:00 HOST app: m",
      "<13>Jan 12 10:00:00: %SYS-5-CONFIG_I: x",
      "<13>Jan 12 10:00:00 ",
      "<13>Jan 12 10:00:00",
      "<13>Feb 30 10:00:00 host app: m",
      "<13>Jan 12 25:00:00 host app: m",
      "<13>Jan 00 10:00:00 host app: m",
      "<13>Jxn 12 10:00:00 host app: m",
      "<13>JAN 12 10:00:00 host app: m",
      "<13>Dec 31 23:59:59 host app: m",
      "<13>Jan 12 10:00:00 host app:",
      "<13>Jan 12 10:00:00 host app:x",
      "<13>Jan 12 10:00:00 host app[]: m",
      "<13>Jan 12 10:00:00 host app[12 3]: m",
      "<13>Jan 12 10:00:00 host app[" + "9".repeat(64) + "]: m",
      "<13>Jan 12 10:00:00 host app[" + "9".repeat(65) + "]: m",
      "<13>Jan 12 10:00:00 host " + "a".repeat(64) + ": m",
      "<13>Jan 12 10:00:00 host " + "a".repeat(65) + ": m",
      "<13>Jan 12 10:00:00 host app:\u0085",
      "<13>Jan 12 10:00:00 host app[1]:\r\n",
      "app: no header",
      "app[1]: no header",
      "1: Jan 12 10:00:00: %SYS-5-CONFIG_I: seq",
      "<189>123: router1: *Jan 12 10:00:00: %LINK-3-UPDOWN: x",
    };
    for (String l : lines) {
      same(l, "10.0.0.9");
      same(l, "10.0.0.50");
    }
  }

  @Example
  void rfc5424EdgeShapes() {
    String[] stamps = {
      "2026-01-12T10:00:00Z",
      "2026-01-12T10:00:00.1Z",
      "2026-01-12T10:00:00.123456789Z",
      "2026-01-12T10:00:00.1234567890Z",
      "2026-01-12T10:00:00.Z",
      "2026-01-12T10:00:00+01:00",
      "2026-01-12T10:00:00-23:59",
      "2026-01-12T10:00:00+18:00",
      "2026-01-12T10:00:00+18:01",
      "2026-01-12T10:00:00+19:00",
      "2026-01-12T10:00:00+0100",
      "2026-01-12T10:00:00,5Z",
      "2026-01-12 10:00:00Z",
      "2026-01-12T10:00:00",
      "2026-01-12T10:00:60Z",
      "2026-01-12T10:00:61Z",
      "2026-01-12T24:00:00Z",
      "2026-01-12T23:60:00Z",
      "2026-02-29T10:00:00Z",
      "2024-02-29T10:00:00Z",
      "2100-02-29T10:00:00Z",
      "2000-02-29T10:00:00Z",
      "2026-04-31T10:00:00Z",
      "2026-13-01T10:00:00Z",
      "2026-00-01T10:00:00Z",
      "2026-01-00T10:00:00Z",
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999999999Z",
      "1969-12-31T23:59:59Z",
      "1600-03-01T00:00:00-05:30",
      "2026-1-12T10:00:00Z",
      "2026-01-12T10:00:00z",
      "2026-01-12T10:00:00+01:00x",
      "2026-01-12t10:00:00Z",
      "-",
      "",
      "2026-01-12T1a:00:00Z",
    };
    for (String stamp : stamps) {
      same("<165>1 " + stamp + " host app 1 ID - m", "10.0.0.9");
    }
    // The shapes senders write are read by the fast path itself, not handed on.
    String s = "x 2026-01-12T10:00:00.123456+01:00 y";
    assertThat(SyslogTimestamps.isoFast(s, 2, 34, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2026-01-12T09:00:00.123456Z"));
    assertThat(SyslogTimestamps.isoFast("2024-02-29T23:59:60Z", 0, 20, ZoneOffset.UTC))
        .isEqualTo(Instant.parse("2024-02-29T23:59:59Z"));
    assertThat(SyslogTimestamps.isoFast("1969-12-31T23:59:59.5", 0, 21, ZoneOffset.ofHours(-1)))
        .isEqualTo(Instant.parse("1970-01-01T00:59:59.5Z"));
  }

  @Property
  void generatedRfc5424StampsParseTheSameBothWays(@ForAll("isoStamps") String stamp) {
    same("<165>1 " + stamp + " host app - - [x@1 a=\"b\"] m", "10.0.0.9");
  }

  @Property
  void isoFastAnswersAsTheRegexPathOrNotAtAll(
      @ForAll("isoStamps") String stamp, @ForAll boolean berlin) {
    ZoneId zone = berlin ? BERLIN : ZoneOffset.ofHours(3);
    Instant fast = SyslogTimestamps.isoFast(stamp, 0, stamp.length(), zone);
    if (fast != null) {
      assertThat(fast).as(stamp).isEqualTo(SyslogTimestamps.parseIso(stamp, zone));
    }
  }

  @Provide
  Arbitrary<String> isoStamps() {
    Arbitrary<String> year =
        Arbitraries.of("2026", "2024", "2100", "2000", "1970", "1969", "0000", "9999", "20x6");
    Arbitrary<String> month = Arbitraries.of("01", "02", "04", "12", "13", "00", "1");
    Arbitrary<String> day = Arbitraries.of("01", "28", "29", "30", "31", "32", "00");
    Arbitrary<String> sep = Arbitraries.of("T", " ", "t");
    Arbitrary<String> time =
        Arbitraries.of(
            "00:00:00", "23:59:59", "23:59:60", "10:00:61", "24:00:00", "12:60:00", "1:00:00");
    Arbitrary<String> fraction =
        Arbitraries.of("", ".1", ".123", ".123456", ".123456789", ".1234567890", ".", ",5");
    Arbitrary<String> offset =
        Arbitraries.of(
            "Z", "", "+01:00", "-05:30", "+18:00", "-18:00", "+18:01", "+19:00", "+0100", "-00:00",
            "z", "+01:00 ");
    return Combinators.combine(year, month, day, sep, time, fraction, offset)
        .as((y, mo, d, s, t, f, o) -> y + "-" + mo + "-" + d + s + t + f + o);
  }

  @Property
  void generatedBsdLinesParseTheSameBothWays(@ForAll("bsd") String line) {
    same(line, "10.0.0.9");
  }

  /**
   * The fast path remembers the previous stamp's result; a shared parser fed the same stamps at
   * changing receive times and zones (around the year boundary, where the inferred year flips) must
   * still answer as a fresh regex parse does.
   */
  @Property(tries = 300)
  void aRepeatedStampFollowsTheReceiveTime(
      @ForAll("stamps") String stamp,
      @ForAll("receiveTimes") Instant received,
      @ForAll boolean berlin) {
    String sender = berlin ? "10.0.0.50" : "10.0.0.9";
    byte[] b = ("<13>" + stamp + " host app: m").getBytes(StandardCharsets.ISO_8859_1);
    for (int k = 0; k < 2; k++) {
      assertThat(FAST.parse(b, received, sender)).isEqualTo(REGEX.parse(b, received, sender));
    }
  }

  @Provide
  Arbitrary<String> stamps() {
    return Arbitraries.of(
        "Jan  1 00:00:00",
        "Dec 31 23:59:59",
        "Jul  1 12:00:00",
        "Feb 29 10:00:00",
        "Jan 12 10:00:00");
  }

  @Provide
  Arbitrary<Instant> receiveTimes() {
    Instant newYear = Instant.parse("2027-01-01T00:00:00Z");
    return Arbitraries.longs().between(-200L * 86_400, 200L * 86_400).map(newYear::plusSeconds);
  }

  @Provide
  Arbitrary<String> bsd() {
    Arbitrary<String> pri = Arbitraries.of("<13>", "<134>", "", "<0>");
    Arbitrary<String> month = Arbitraries.of("Jan", "Feb", "Dec", "Jun", "Jxn", "JAN", "jan");
    Arbitrary<String> sep = Arbitraries.of(" ", "  ", "");
    Arbitrary<String> day = Arbitraries.of("1", "5", "12", "29", "31", "00", "07", "123");
    Arbitrary<String> time =
        Arbitraries.of(
            "10:00:00", "23:59:59", "00:00:00", "25:61:61", "1:00:00", "10:00", "10:00:00.5");
    Arbitrary<String> tail =
        Arbitraries.of(
            "", " ", ":", ": ", " 2026", " 2026 ", " UTC", " CET ", " +0100", " -01:00", ".123",
            " .", " x");
    Arbitrary<String> host =
        Arbitraries.of("", " host", " HOST", " 10.0.0.1", " h-1.example", " %ASA");
    Arbitrary<String> tag =
        Arbitraries.of(
            " app: m",
            " app[1]: m",
            " app[a b]: m",
            " app[]:",
            " app:",
            " app:x",
            " app",
            " app[1]:",
            " %SYS-5-X: y",
            " a/b(c)@d-e.f: m",
            " " + "t".repeat(65) + ": m",
            " k=v a=b c=d",
            "");
    Arbitrary<String> junk =
        Arbitraries.strings().withChars(" :[]%.-0123456789AZaz\t\u0085").ofMaxLength(6);
    return Combinators.combine(pri, month, sep, day, time, tail, host, tag)
        .as((p, m, s, d, t, tl, h, tg) -> p + m + s + d + " " + t + tl + h + tg)
        .flatMap(base -> junk.map(j -> base + j));
  }
}
