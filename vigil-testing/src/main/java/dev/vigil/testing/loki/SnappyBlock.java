package dev.vigil.testing.loki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Decoder of the snappy block format (the one Loki's push API reads, not the framed stream format),
 * written from the format description so it checks the encoder independently.
 */
public final class SnappyBlock {
  private SnappyBlock() {}

  public static byte[] decompress(byte[] in) throws IOException {
    int[] pos = {0};
    long expected = varint(in, pos);
    if (expected < 0 || expected > 256L << 20) {
      throw new IOException("snappy: implausible uncompressed length " + expected);
    }
    byte[] out = new byte[(int) expected];
    int o = 0;
    int p = pos[0];
    while (p < in.length) {
      int tag = in[p++] & 0xff;
      int type = tag & 3;
      if (type == 0) {
        int len = tag >>> 2;
        if (len >= 60) {
          int bytes = len - 59;
          len = 0;
          for (int i = 0; i < bytes; i++) {
            len |= (in[p++] & 0xff) << (8 * i);
          }
        }
        len += 1;
        if (p + len > in.length || o + len > out.length) {
          throw new IOException("snappy: literal runs past the end");
        }
        System.arraycopy(in, p, out, o, len);
        p += len;
        o += len;
        continue;
      }
      int len;
      int offset;
      if (type == 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | (in[p++] & 0xff);
      } else if (type == 2) {
        len = (tag >>> 2) + 1;
        offset = (in[p] & 0xff) | ((in[p + 1] & 0xff) << 8);
        p += 2;
      } else {
        len = (tag >>> 2) + 1;
        offset =
            (in[p] & 0xff)
                | ((in[p + 1] & 0xff) << 8)
                | ((in[p + 2] & 0xff) << 16)
                | ((in[p + 3] & 0xff) << 24);
        p += 4;
      }
      if (offset <= 0 || offset > o || o + len > out.length) {
        throw new IOException("snappy: bad copy offset " + offset + " at output " + o);
      }
      for (int i = 0; i < len; i++) {
        out[o] = out[o - offset];
        o++;
      }
    }
    if (o != out.length) {
      throw new IOException("snappy: decoded " + o + " bytes, header said " + out.length);
    }
    return out;
  }

  static long varint(byte[] in, int[] pos) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos[0] >= in.length) {
        throw new IOException("truncated varint");
      }
      int b = in[pos[0]++] & 0xff;
      v |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("varint too long");
  }

  /** For tests of the decoder itself: a literal-only block (valid snappy, no compression). */
  public static byte[] literalOnly(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = data.length;
    while (n >= 0x80) {
      out.write((int) (n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write((int) n);
    int p = 0;
    while (p < data.length) {
      int len = Math.min(65536, data.length - p);
      int l = len - 1;
      if (l < 60) {
        out.write(l << 2);
      } else if (l < 256) {
        out.write(60 << 2);
        out.write(l);
      } else {
        out.write(61 << 2);
        out.write(l & 0xff);
        out.write(l >>> 8);
      }
      out.write(data, p, len);
      p += len;
    }
    return out.toByteArray();
  }
}
