package dev.vigil.agent.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6587 framing of a syslog TCP stream: octet counting ("LEN SP MSG") or non-transparent framing
 * (LF, CRLF or NUL trailer), chosen from the first byte of the connection; the trailer from the
 * first frame's end. A frame longer than {@code maxLength} is cut at that length, flagged as
 * truncated and the rest skipped — never dropped, never buffered without bound.
 *
 * <p>The frames of one read go on as one {@code List<RawMessage>}, in order: the handlers after
 * this one (activity, batching) run once per read, not once per message.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {
  private enum Mode {
    UNKNOWN,
    OCTET_COUNTING,
    NON_TRANSPARENT
  }

  private static final int MAX_LENGTH_DIGITS = 10;

  private final int maxLength;
  private final String listener;
  private final Clock clock;
  private Mode mode = Mode.UNKNOWN;

  /** Bytes still to skip: the tail of a truncated octet-counted frame. */
  private long skipBytes;

  /** Skipping to the next delimiter after a truncated non-transparent frame. */
  private boolean discarding;

  private long framingErrors;

  /** The peer's address, formatted once per connection. */
  private String sender;

  /** Receive time of the read being decoded: every frame completed by one read shares it. */
  private java.time.Instant readAt;

  public SyslogFrameDecoder(int maxLength, String listener, Clock clock) {
    if (maxLength < 16) {
      throw new IllegalArgumentException("maxLength must be at least 16, got " + maxLength);
    }
    this.maxLength = maxLength;
    this.listener = listener;
    this.clock = clock;
  }

  public SyslogFrameDecoder(int maxLength, String listener) {
    this(maxLength, listener, Clock.systemUTC());
  }

  /** Octet-counting headers that were not numbers; the stream continued as non-transparent. */
  public long framingErrors() {
    return framingErrors;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    readAt = clock.instant();
    List<RawMessage> frames = null;
    while (in.isReadable()) {
      int before = in.readableBytes();
      RawMessage frame = decodeOne(ctx, in);
      if (frame != null) {
        if (frames == null) {
          frames = new ArrayList<>();
        }
        frames.add(frame);
      } else if (in.readableBytes() == before) {
        break;
      }
    }
    if (frames != null) {
      out.add(frames);
    }
  }

  private RawMessage decodeOne(ChannelHandlerContext ctx, ByteBuf in) {
    if (skipBytes > 0) {
      int n = (int) Math.min(skipBytes, in.readableBytes());
      in.skipBytes(n);
      skipBytes -= n;
      return null;
    }
    if (discarding) {
      if (trailer < 0) {
        // The connection's first message is over-long: its trailer is unknown, and bytes of a
        // binary tail must not start new frames; LF is what almost every sender uses.
        trailer = '\n';
      }
      int eol = findDelimiter(in, in.readerIndex(), in.writerIndex());
      if (eol < 0) {
        in.skipBytes(in.readableBytes());
        return null;
      }
      in.readerIndex(eol + 1);
      discarding = false;
      return null;
    }
    if (mode == Mode.UNKNOWN) {
      byte first = in.getByte(in.readerIndex());
      if (first == '\n' || first == '\r' || first == 0) {
        in.skipBytes(1);
        return null;
      }
      mode = first >= '1' && first <= '9' ? Mode.OCTET_COUNTING : Mode.NON_TRANSPARENT;
    }
    return mode == Mode.OCTET_COUNTING ? decodeOctetCounted(ctx, in) : decodeDelimited(ctx, in);
  }

  private RawMessage decodeOctetCounted(ChannelHandlerContext ctx, ByteBuf in) {
    int start = in.readerIndex();
    int limit = in.writerIndex();
    long length = 0;
    int i = start;
    // Tolerate stray line ends between frames (some senders add them).
    while (i < limit && (in.getByte(i) == '\n' || in.getByte(i) == '\r')) {
      i++;
    }
    if (i > start) {
      in.readerIndex(i);
      return null;
    }
    int digits = 0;
    for (; i < limit; i++) {
      byte b = in.getByte(i);
      if (b >= '0' && b <= '9' && digits < MAX_LENGTH_DIGITS) {
        length = length * 10 + (b - '0');
        digits++;
      } else if (b == ' ' && digits > 0 && length > 0) {
        break;
      } else {
        // Not an octet count: resynchronise as non-transparent framing.
        framingErrors++;
        mode = Mode.NON_TRANSPARENT;
        return decodeDelimited(ctx, in);
      }
    }
    if (i >= limit) {
      return null;
    }
    int bodyStart = i + 1;
    int available = limit - bodyStart;
    if (length <= maxLength) {
      if (available < length) {
        return null;
      }
      byte[] body = new byte[(int) length];
      in.getBytes(bodyStart, body);
      in.readerIndex(bodyStart + (int) length);
      return raw(ctx, body, false);
    }
    if (available < maxLength) {
      return null;
    }
    byte[] body = new byte[maxLength];
    in.getBytes(bodyStart, body);
    in.readerIndex(bodyStart + maxLength);
    skipBytes = length - maxLength;
    return raw(ctx, body, true);
  }

  private RawMessage decodeDelimited(ChannelHandlerContext ctx, ByteBuf in) {
    if (trailer == 0) {
      // A line end after a NUL trailer (some senders write both) is not a message.
      while (in.isReadable()
          && (in.getByte(in.readerIndex()) == '\n' || in.getByte(in.readerIndex()) == '\r')) {
        in.skipBytes(1);
      }
      if (!in.isReadable()) {
        return null;
      }
    }
    int start = in.readerIndex();
    int searchEnd = Math.min(in.writerIndex(), start + maxLength + 2);
    int eol = findDelimiter(in, start, searchEnd);
    if (eol < 0) {
      if (in.readableBytes() > maxLength + 1) {
        byte[] body = new byte[maxLength];
        in.getBytes(start, body);
        in.readerIndex(start + maxLength);
        discarding = true;
        return raw(ctx, body, true);
      }
      return null;
    }
    int end = eol;
    if (end > start && in.getByte(eol) == '\n' && in.getByte(end - 1) == '\r') {
      end--;
    }
    in.readerIndex(eol + 1);
    if (end == start) {
      return null;
    }
    int len = end - start;
    boolean truncated = len > maxLength;
    byte[] body = new byte[Math.min(len, maxLength)];
    in.getBytes(start, body);
    return raw(ctx, body, truncated);
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Exception {
    decode(ctx, in, out);
    // A sender that closes without a final delimiter still sent a message.
    if (in.isReadable() && skipBytes == 0 && !discarding && mode != Mode.OCTET_COUNTING) {
      int len = in.readableBytes();
      byte[] body = new byte[Math.min(len, maxLength)];
      in.readBytes(body);
      in.skipBytes(in.readableBytes());
      out.add(List.of(raw(ctx, body, len > maxLength)));
    } else if (in.isReadable() && mode == Mode.OCTET_COUNTING && skipBytes == 0) {
      // An octet-counted frame cut short by the close: keep what arrived, flagged.
      int start = in.readerIndex();
      int sp = in.indexOf(start, in.writerIndex(), (byte) ' ');
      int from = sp < 0 ? start : sp + 1;
      byte[] body = new byte[Math.min(in.writerIndex() - from, maxLength)];
      in.getBytes(from, body);
      in.skipBytes(in.readableBytes());
      if (body.length > 0) {
        out.add(List.of(raw(ctx, body, true)));
      }
    }
  }

  private static final io.netty.util.ByteProcessor LF_OR_NUL = b -> b != '\n' && b != 0;

  /**
   * The connection's trailer (RFC 6587 3.4.2): LF or NUL, whichever ends its first frame; -1 before
   * that. Then the other byte is data: a NUL inside a line is not a frame end.
   */
  private int trailer = -1;

  private int findDelimiter(ByteBuf in, int from, int to) {
    if (from >= to) {
      return -1;
    }
    if (trailer >= 0) {
      // Known trailer: ByteBuf.indexOf scans a word at a time.
      return in.indexOf(from, to, (byte) trailer);
    }
    int at = in.forEachByte(from, to - from, LF_OR_NUL);
    if (at >= 0 && trailer < 0) {
      trailer = in.getByte(at);
    }
    return at;
  }

  private RawMessage raw(ChannelHandlerContext ctx, byte[] body, boolean truncated) {
    if (sender == null) {
      sender = address(ctx.channel().remoteAddress());
    }
    return new RawMessage(
        body, readAt == null ? clock.instant() : readAt, sender, listener, truncated);
  }

  static String address(SocketAddress a) {
    if (a instanceof InetSocketAddress) {
      InetSocketAddress isa = (InetSocketAddress) a;
      return isa.getAddress() == null ? isa.getHostString() : isa.getAddress().getHostAddress();
    }
    return a == null ? "" : a.toString();
  }
}
