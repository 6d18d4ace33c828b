package dev.vigil.agent.syslog;

import dev.vigil.agent.syslog.SyslogMessage.SdElement;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a parsed message into a Loki entry: a bounded label set (host, app, severity, facility,
 * listener, static labels) and everything of high cardinality as structured metadata. The entry's
 * time is the event time when Loki would accept it, else the receive time with the original kept.
 */
public final class EntryMapper {
  private final Map<String, String> staticLabels;
  private final Duration maxPast;
  private final Duration maxFuture;

  /** Label names in the sorted order of the record, each with its static value or null. */
  private final String[] labelNames;

  private final String[] labelStatic;

  public EntryMapper(Map<String, String> staticLabels, Duration maxPast, Duration maxFuture) {
    this.staticLabels = Map.copyOf(staticLabels);
    this.maxPast = maxPast;
    this.maxFuture = maxFuture;
    java.util.TreeMap<String, String> names = new java.util.TreeMap<>(this.staticLabels);
    for (String dynamic : DYNAMIC) {
      names.put(dynamic, null);
    }
    labelNames = names.keySet().toArray(String[]::new);
    labelStatic = names.values().toArray(String[]::new);
    labelKind = new int[labelNames.length];
    labelNameWord = new int[labelNames.length];
    labelStaticWord = new int[labelNames.length];
    for (int i = 0; i < labelNames.length; i++) {
      labelKind[i] = java.util.Arrays.asList(DYNAMIC).indexOf(labelNames[i]);
      labelNameWord[i] = RecordFormat.word(labelNames[i]);
      labelStaticWord[i] = labelStatic[i] == null ? -1 : RecordFormat.word(labelStatic[i]);
    }
  }

  /** {@link RecordFormat#WORDS} index of each label name and static value, or -1. */
  private final int[] labelNameWord;

  private final int[] labelStaticWord;

  private static final int HOST = 0;
  private static final int APP = 1;
  private static final int SEVERITY = 2;
  private static final int FACILITY = 3;

  /** Index into {@link #DYNAMIC} of each label, for the dynamic ones. */
  private final int[] labelKind;

  private static final String[] DYNAMIC = {"host", "app", "severity", "facility", "listener"};

  /**
   * Why the entry keeps the receive time instead of the event time ({@code timestamp_fallback}), or
   * null when the event time is used.
   */
  private String fallback(RawMessage raw, Instant event) {
    if (event == null) {
      return "no-event-time";
    }
    if (event.isBefore(raw.receivedAt().minus(maxPast))) {
      return "too-old";
    }
    if (event.isAfter(raw.receivedAt().plus(maxFuture))) {
      return "in-future";
    }
    return null;
  }

  /** Where structured metadata goes, in order: a map, or straight into a journal record. */
  private interface MetadataSink {
    void put(String name, String value);

    /** Adds it unless the name is there already; whether it was added. */
    boolean putIfAbsent(String name, String value);

    /** An instant's ISO-8601 text (a record stores the instant itself). */
    void putInstant(String name, Instant value);

    /** {@link #put} for the sender address, which repeats from message to message. */
    default void putSender(String name, String value) {
      put(name, value);
    }

    /** {@link #put} where the value is a literal or table entry (a word of the record format). */
    default void putConstant(String name, String value) {
      put(name, value);
    }
  }

  /** The entry's structured metadata, in its order, into {@code md}. */
  private static void metadata(
      RawMessage raw, SyslogMessage msg, String fallback, MetadataSink md) {
    md.putSender("sender", raw.senderAddress());
    md.putInstant("received_at", raw.receivedAt());
    md.putConstant("format", FORMAT_NAMES[msg.format().ordinal()]);
    if (msg.procId() != null && !msg.procId().isEmpty()) {
      md.put("procid", msg.procId());
    }
    if (msg.msgId() != null && !msg.msgId().isEmpty()) {
      md.put("msgid", msg.msgId());
    }
    if (fallback != null) {
      if (msg.eventTime() != null) {
        md.putInstant("event_time", msg.eventTime());
      }
      md.putConstant("timestamp_fallback", fallback);
    }
    if (msg.parseError() != null) {
      md.put("parse_error", msg.parseError());
    }
    if (raw.truncated()) {
      md.putConstant("truncated", "true");
    }
    String cut = labelsCut(msg);
    if (cut != null) {
      md.put("label_truncated", cut);
    }
    // Loki refuses a whole entry over its structured metadata limits (v3.5.3 defaults: 128
    // entries, 64 KiB of names and values): the sender's pairs stop short of them, and the
    // entry says how many were left out (the archive keeps the message whole).
    Budget budget = new Budget(md);
    for (SdElement sd : msg.structuredData()) {
      for (Map.Entry<String, String> p : sd.params()) {
        budget.add(metadataName("sd_" + sd.id() + "_" + p.getKey()), p.getValue());
      }
      if (sd.params().isEmpty()) {
        budget.add(metadataName("sd_" + sd.id()), "");
      }
    }
    for (Map.Entry<String, String> f : msg.fields().entrySet()) {
      budget.add(metadataName(f.getKey()), f.getValue());
    }
    if (budget.omitted > 0) {
      md.put("metadata_truncated", Integer.toString(budget.omitted));
    }
  }

  /** Loki v3.5.3's default max_structured_metadata_entries_count. */
  static final int MAX_METADATA_ENTRIES = 128;

  /** Under Loki v3.5.3's default max_structured_metadata_size (64 KiB), with room for ours. */
  static final int MAX_METADATA_BYTES = 60 * 1024;

  /** The fixed fields written before the sender's pairs, at most (see {@link #metadata}). */
  private static final int FIXED_METADATA = 10;

  /** Counts the sender's pairs against Loki's limits. */
  private static final class Budget {
    private final MetadataSink md;
    private int entries = FIXED_METADATA;
    private int bytes = 512;
    int omitted;

    Budget(MetadataSink md) {
      this.md = md;
    }

    void add(String name, String value) {
      // One place stays free for the metadata_truncated flag.
      int size = name.length() + utf8Length(value);
      if (omitted > 0 || entries >= MAX_METADATA_ENTRIES - 1 || bytes + size > MAX_METADATA_BYTES) {
        omitted++;
        return;
      }
      if (md.putIfAbsent(name, value)) {
        entries++;
        bytes += size;
      }
    }
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        n += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
      }
    }
    return n;
  }

  /**
   * The journal record of {@code map(raw, msg)} (it decodes to that entry), written directly: no
   * label or metadata maps on the receive path, and the times stored as instants.
   */
  public byte[] encode(RawMessage raw, SyslogMessage msg) {
    RecordEncoder out = new RecordEncoder(256 + 2 * msg.message().length());
    encodeInto(raw, msg, out);
    return out.toByteArray();
  }

  /** Appends the payload of {@link #encode} to {@code out}: {@link RecordFormat}'s layout. */
  void encodeInto(RawMessage raw, SyslogMessage msg, RecordEncoder out) {
    String fallback = fallback(raw, msg.eventTime());
    Instant ts = fallback == null ? msg.eventTime() : raw.receivedAt();
    out.writeByte(RecordFormat.VERSION);
    out.writeLong(ts.getEpochSecond());
    out.writeInt(ts.getNano());
    out.writeVarint(labelNames.length);
    for (int i = 0; i < labelNames.length; i++) {
      textOrWord(out, labelNames[i], labelNameWord[i]);
      if (labelStatic[i] != null) {
        textOrWord(out, labelStatic[i], labelStaticWord[i]);
        continue;
      }
      switch (labelKind[i]) {
        // Texts from the message are spelled out (a word lookup would hash each new string).
        case HOST -> out.writeText(labelValue(msg.hostname(), MAX_HOST));
        case APP -> out.writeText(labelValue(msg.appName(), MAX_APP));
        case SEVERITY -> constant(out, msg.severityName());
        case FACILITY -> constant(out, msg.facilityName());
        default -> constant(out, raw.listener());
      }
    }
    out.writeText(msg.message());
    int countAt = out.position();
    out.writeByte(0);
    RecordMetadata md = new RecordMetadata(out);
    metadata(raw, msg, fallback, md);
    out.patchVarint(countAt, md.count);
  }

  private static void textOrWord(RecordEncoder out, String s, int word) {
    if (word > 0) {
      out.writeWord(word);
    } else {
      out.writeText(s);
    }
  }

  /** A literal or table entry: a word when the format has it. */
  private static void constant(RecordEncoder out, String s) {
    textOrWord(out, s, RecordFormat.constantWord(s));
  }

  /** Metadata written in insertion order; {@code putIfAbsent} skips names already written. */
  private static final class RecordMetadata implements MetadataSink {
    private final RecordEncoder out;
    private String[] names;
    int count;

    RecordMetadata(RecordEncoder out) {
      this.out = out;
      this.names = out.names;
    }

    @Override
    public void put(String name, String value) {
      name(name);
      out.writeText(value);
    }

    @Override
    public void putConstant(String name, String value) {
      name(name);
      constant(out, value);
    }

    @Override
    public void putInstant(String name, Instant value) {
      name(name);
      out.writeInstant(value);
    }

    @Override
    public void putSender(String name, String value) {
      name(name);
      out.writeSender(value);
    }

    private void name(String name) {
      if (count == names.length) {
        names = java.util.Arrays.copyOf(names, count * 2);
        out.names = names;
      }
      names[count++] = name;
      // Literals here, or metadataName's cached instances.
      constant(out, name);
    }

    @Override
    public boolean putIfAbsent(String name, String value) {
      for (int i = 0; i < count; i++) {
        if (names[i].equals(name)) {
          return false;
        }
      }
      put(name, value);
      return true;
    }
  }

  public LokiEntry map(RawMessage raw, SyslogMessage msg) {
    Map<String, String> labels = new LinkedHashMap<>(staticLabels);
    labels.put("host", labelValue(msg.hostname(), MAX_HOST));
    labels.put("app", labelValue(msg.appName(), MAX_APP));
    labels.put("severity", msg.severityName());
    labels.put("facility", msg.facilityName());
    labels.put("listener", raw.listener());
    String fallback = fallback(raw, msg.eventTime());
    Map<String, String> md = new LinkedHashMap<>();
    metadata(
        raw,
        msg,
        fallback,
        new MetadataSink() {
          @Override
          public void put(String name, String value) {
            md.put(name, value);
          }

          @Override
          public boolean putIfAbsent(String name, String value) {
            return md.putIfAbsent(name, value) == null;
          }

          @Override
          public void putInstant(String name, Instant value) {
            md.put(name, IsoInstant.format(value));
          }
        });
    return new LokiEntry(
        labels, fallback == null ? msg.eventTime() : raw.receivedAt(), msg.message(), md);
  }

  private static final String[] FORMAT_NAMES =
      java.util.Arrays.stream(SyslogMessage.Format.values())
          .map(f -> f.name().toLowerCase(java.util.Locale.ROOT))
          .toArray(String[]::new);

  /** A DNS name is at most 253 characters; longer is not a host name. */
  static final int MAX_HOST = 253;

  static final int MAX_APP = 64;

  /**
   * A label value from the message: cut at {@code max} characters and control characters replaced,
   * so a sender cannot make a stream selector unreadable or unbounded.
   */
  static String labelValue(String v, int max) {
    if (v == null || v.isEmpty()) {
      return "unknown";
    }
    int n = Math.min(v.length(), max);
    if (n > 0 && Character.isHighSurrogate(v.charAt(n - 1))) {
      n--;
    }
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        StringBuilder sb = new StringBuilder(n);
        for (int j = 0; j < n; j++) {
          char d = v.charAt(j);
          sb.append(d < 0x20 || d == 0x7f ? '_' : d);
        }
        return sb.toString();
      }
    }
    return n == v.length() ? v : v.substring(0, n);
  }

  /** Which labels {@link #labelValue} cut ("host", "app", "host,app"), or null. */
  private static String labelsCut(SyslogMessage msg) {
    boolean host = msg.hostname() != null && msg.hostname().length() > MAX_HOST;
    boolean app = msg.appName() != null && msg.appName().length() > MAX_APP;
    return host ? (app ? "host,app" : "host") : app ? "app" : null;
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, String> NAMES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Structured metadata names follow Loki's label-name rules. */
  static String metadataName(String s) {
    String cached = NAMES.get(s);
    if (cached != null) {
      return cached;
    }
    String name = sanitize(s);
    // Field names repeat (kv_*, sd_*); the cap keeps a hostile sender from growing the cache.
    if (NAMES.size() < 10_000) {
      NAMES.put(s, name);
    }
    return name;
  }

  private static String sanitize(String s) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), 128));
    for (int i = 0; i < s.length() && sb.length() < 128; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (c >= '0' && c <= '9' && i > 0);
      sb.append(ok ? c : '_');
    }
    return sb.length() == 0 ? "_" : sb.toString();
  }
}
