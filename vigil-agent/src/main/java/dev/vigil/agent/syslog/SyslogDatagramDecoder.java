package dev.vigil.agent.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.time.Clock;
import java.util.List;

/**
 * One UDP datagram is one syslog message (RFC 5426), with or without a trailing newline. Longer
 * than {@code maxLength}: cut and flagged.
 */
public final class SyslogDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {
  private final int maxLength;
  private final String listener;
  private final Clock clock;
  private java.net.InetSocketAddress lastSender;
  private String lastSenderText;

  public SyslogDatagramDecoder(int maxLength, String listener, Clock clock) {
    super(DatagramPacket.class);
    this.maxLength = maxLength;
    this.listener = listener;
    this.clock = clock;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
    ByteBuf buf = packet.content();
    int len = buf.readableBytes();
    if (len == 0) {
      return;
    }
    byte[] body = new byte[Math.min(len, maxLength)];
    buf.getBytes(buf.readerIndex(), body);
    java.net.InetSocketAddress from = packet.sender();
    if (!from.equals(lastSender)) {
      // A device sends many datagrams in a row: its address is formatted once per run.
      lastSender = from;
      lastSenderText = SyslogFrameDecoder.address(from);
    }
    out.add(new RawMessage(body, clock.instant(), lastSenderText, listener, len > maxLength));
  }
}
