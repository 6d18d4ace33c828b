package dev.vigil.render.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets trusting one CA file, for JNDI's LDAPS connections: JNDI takes a socket factory by
 * class name and calls its static {@code getDefault()}, so the CA is set here before connecting.
 * JNDI still checks the server's host name against its certificate (endpoint identification
 * "LDAPS"), as Grafana's Go client does with ServerName.
 */
public final class CaSocketFactory extends SSLSocketFactory {
  private static volatile Path caPem;

  private final SSLSocketFactory delegate;

  private CaSocketFactory(SSLSocketFactory delegate) {
    this.delegate = delegate;
  }

  public static void trust(Path pem) {
    caPem = pem;
  }

  public static SocketFactory getDefault() {
    return new CaSocketFactory(Slapd.TestCa.socketFactory(caPem));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose)
      throws IOException {
    return delegate.createSocket(s, host, port, autoClose);
  }

  @Override
  public Socket createSocket() throws IOException {
    return delegate.createSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return delegate.createSocket(host, port, localHost, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return delegate.createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return delegate.createSocket(address, port, localAddress, localPort);
  }
}
