package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The reason a connection closed on a read error is counted under. Running out of direct memory
 * cannot be caused on purpose in a test JVM that other tests share, so its classification is held
 * here; the other reasons are also caused for real in HostileConnectionsIT.
 */
class ConnectionErrorReasonTest {
  @Test
  void aReadBufferThatCouldNotBeAllocatedIsNoMemoryWhereverItIsWrapped() {
    assertThat(SyslogListeners.errorReason(new OutOfMemoryError("Direct buffer memory")))
        .isEqualTo("no_memory");
    assertThat(
            SyslogListeners.errorReason(
                new DecoderException(new OutOfMemoryError("failed to allocate 65536 byte(s)"))))
        .isEqualTo("no_memory");
  }

  @Test
  void tlsFailuresResetsAndTheRest() {
    assertThat(SyslogListeners.errorReason(new NotSslRecordException("not an SSL/TLS record")))
        .isEqualTo("tls_error");
    assertThat(
            SyslogListeners.errorReason(
                new DecoderException(new SSLHandshakeException("no cipher suites in common"))))
        .isEqualTo("tls_error");
    assertThat(SyslogListeners.errorReason(new IOException("Connection reset by peer")))
        .isEqualTo("peer_error");
    assertThat(SyslogListeners.errorReason(new IllegalStateException("bug"))).isEqualTo("error");
  }
}
