package dev.vigil.agent.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * Receive buffers of the UDP listener: large enough for any datagram up to the message size limit
 * (Netty's default of 2 KiB cuts longer ones without a sign), without allocating 64 KiB per
 * datagram (beyond the pool's thread caches, that costs more than the datagram itself).
 *
 * <p>A read loop takes at most {@code maxMessagesPerRead} datagrams before the pipeline sees them,
 * and {@link SyslogDatagramDecoder} copies each out before the next loop: a ring of that many
 * reusable buffers, plus one for the attempt that finds the socket empty, is never overwritten
 * while in use. The buffers ignore release; they live as long as the channel.
 */
final class DatagramBuffers extends DefaultMaxMessagesRecvByteBufAllocator {
  private final int size;

  DatagramBuffers(int size, int maxMessagesPerRead) {
    super(maxMessagesPerRead);
    this.size = size;
  }

  @Override
  public Handle newHandle() {
    int ring = maxMessagesPerRead() + 1;
    return new MaxMessageHandle() {
      private final ByteBuf[] buffers = new ByteBuf[ring];
      private int next;

      @Override
      public ByteBuf allocate(ByteBufAllocator alloc) {
        int i = next;
        next = (next + 1) % ring;
        ByteBuf b = buffers[i];
        if (b == null) {
          b = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(size)));
          buffers[i] = b;
        }
        return b.clear();
      }

      @Override
      public int guess() {
        return size;
      }
    };
  }
}
