package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.testing.Tools;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 5425 listener with required client certificates; keys made by the real openssl. */
class TlsIT {
  @TempDir static Path tmp;
  static LokiProtocolReceiver loki;
  static GatewayFixture gw;

  static void openssl(String... args) {
    Path bin = Tools.require("openssl", "openssl");
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(bin.toString());
    cmd.addAll(java.util.List.of(args));
    Tools.Run r = Tools.run(tmp, 60, cmd);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @BeforeAll
  static void start() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.crt");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=router1",
        "-keyout",
        "client.key",
        "-out",
        "client.crt");
    loki = LokiProtocolReceiver.start(0);
    SyslogSpec base = GatewayFixture.spec(loki.url(), SyslogSpec.Journal.defaults());
    SyslogSpec.Listen l = base.listen();
    SyslogSpec.Tls tls =
        new SyslogSpec.Tls(
            0,
            tmp.resolve("server.crt").toString(),
            tmp.resolve("server.key").toString(),
            tmp.resolve("client.crt").toString(),
            SyslogSpec.ClientAuth.REQUIRE);
    SyslogSpec spec =
        new SyslogSpec(
            true,
            new SyslogSpec.Listen(l.address(), false, 0, false, 0, tls, l.udpReceiveBuffer()),
            base.limits(),
            base.parsing(),
            base.journal(),
            base.archive(),
            base.loki());
    gw = GatewayFixture.start(tmp.resolve("data"), spec);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (loki != null) {
      loki.close();
    }
  }

  static SSLContext context(boolean withClientCert) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(
        "server", cf.generateCertificate(Files.newInputStream(tmp.resolve("server.crt"))));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (withClientCert) {
      String pem = Files.readString(tmp.resolve("client.key"));
      byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").trim());
      PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
      Certificate cert =
          cf.generateCertificate(
              new ByteArrayInputStream(Files.readAllBytes(tmp.resolve("client.crt"))));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, new char[0], new Certificate[] {cert});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  static void send(SSLContext ctx, String text) throws IOException {
    try (SSLSocket s =
        (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", gw.syslog.tlsPort())) {
      s.startHandshake();
      OutputStream out = s.getOutputStream();
      byte[] b =
          ("<190>1 2026-01-12T10:00:00Z router1 bgpd - - - " + text)
              .getBytes(StandardCharsets.UTF_8);
      out.write((b.length + " ").getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      // A peer that rejects us closes after the handshake; reading shows it.
      s.setSoTimeout(500);
      try {
        if (s.getInputStream().read() < 0) {
          return;
        }
      } catch (java.net.SocketTimeoutException e) {
        return;
      }
    }
  }

  @Test
  void clientWithCertificateIsAccepted() throws Exception {
    assertThat(gw.syslog.tlsPort()).isPositive();
    send(context(true), "over tls with a client certificate");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                loki.entries().stream()
                    .anyMatch(e -> e.line().equals("over tls with a client certificate")));
    assertThat(
            loki.entries().stream()
                .filter(e -> e.line().startsWith("over tls"))
                .findFirst()
                .orElseThrow()
                .labels())
        .containsEntry("listener", "tls")
        .containsEntry("host", "router1");
  }

  @Test
  void clientWithoutCertificateIsRefused() throws Exception {
    SSLContext anonymous = context(false);
    assertThatThrownBy(
            () -> {
              send(anonymous, "must not arrive");
              // TLS 1.3 reports the rejection on the first read after the handshake.
              send(anonymous, "must not arrive");
            })
        .isInstanceOf(IOException.class);
    Thread.sleep(1500);
    assertThat(loki.entries()).noneMatch(e -> e.line().equals("must not arrive"));
  }
}
