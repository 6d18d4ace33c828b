package dev.vigil.testing.loki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Loki's {@code logproto.PushRequest} protobuf wire format by hand (streams = 1; per stream
 * labels = 1, entries = 2; per entry timestamp = 1, line = 2, structuredMetadata = 3), skipping
 * unknown fields as protobuf requires.
 */
public final class PushRequestDecoder {
  private PushRequestDecoder() {}

  public static List<ReceivedEntry> decode(byte[] buf, String tenant) throws IOException {
    List<ReceivedEntry> out = new ArrayList<>();
    Reader r = new Reader(buf, 0, buf.length);
    while (r.more()) {
      int tag = (int) r.varint();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        Reader s = r.sub();
        String labels = null;
        List<Reader> entries = new ArrayList<>();
        while (s.more()) {
          int t = (int) s.varint();
          if (t >>> 3 == 1 && (t & 7) == 2) {
            labels = s.string();
          } else if (t >>> 3 == 2 && (t & 7) == 2) {
            entries.add(s.sub());
          } else {
            s.skip(t & 7);
          }
        }
        if (labels == null) {
          throw new IOException("stream without labels");
        }
        Map<String, String> labelMap = LabelParser.parse(labels);
        for (Reader e : entries) {
          out.add(entry(e, labelMap, tenant));
        }
      } else {
        r.skip(tag & 7);
      }
    }
    return out;
  }

  private static ReceivedEntry entry(Reader e, Map<String, String> labels, String tenant)
      throws IOException {
    long seconds = 0;
    int nanos = 0;
    String line = "";
    Map<String, String> md = new LinkedHashMap<>();
    while (e.more()) {
      int t = (int) e.varint();
      int field = t >>> 3;
      if (field == 1 && (t & 7) == 2) {
        Reader ts = e.sub();
        while (ts.more()) {
          int tt = (int) ts.varint();
          if (tt >>> 3 == 1 && (tt & 7) == 0) {
            seconds = ts.varint();
          } else if (tt >>> 3 == 2 && (tt & 7) == 0) {
            nanos = (int) ts.varint();
          } else {
            ts.skip(tt & 7);
          }
        }
      } else if (field == 2 && (t & 7) == 2) {
        line = e.string();
      } else if (field == 3 && (t & 7) == 2) {
        Reader p = e.sub();
        String name = "";
        String value = "";
        while (p.more()) {
          int pt = (int) p.varint();
          if (pt >>> 3 == 1 && (pt & 7) == 2) {
            name = p.string();
          } else if (pt >>> 3 == 2 && (pt & 7) == 2) {
            value = p.string();
          } else {
            p.skip(pt & 7);
          }
        }
        md.put(name, value);
      } else {
        e.skip(t & 7);
      }
    }
    return new ReceivedEntry(
        tenant, labels, Instant.ofEpochSecond(seconds, nanos), line, md, System.nanoTime());
  }

  private static final class Reader {
    private final byte[] b;
    private int p;
    private final int end;

    Reader(byte[] b, int p, int end) {
      this.b = b;
      this.p = p;
      this.end = end;
    }

    boolean more() {
      return p < end;
    }

    long varint() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end) {
          throw new IOException("truncated varint");
        }
        int x = b[p++] & 0xff;
        v |= (long) (x & 0x7f) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("varint too long");
    }

    Reader sub() throws IOException {
      long len = varint();
      if (len < 0 || p + len > end) {
        throw new IOException("length-delimited field runs past its message");
      }
      Reader r = new Reader(b, p, p + (int) len);
      p += (int) len;
      return r;
    }

    String string() throws IOException {
      Reader r = sub();
      return new String(b, r.p, r.end - r.p, StandardCharsets.UTF_8);
    }

    void skip(int wireType) throws IOException {
      switch (wireType) {
        case 0:
          varint();
          break;
        case 1:
          p += 8;
          break;
        case 2:
          sub();
          break;
        case 5:
          p += 4;
          break;
        default:
          throw new IOException("unsupported wire type " + wireType);
      }
      if (p > end) {
        throw new IOException("field runs past its message");
      }
    }
  }
}
