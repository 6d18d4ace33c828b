package dev.vigil.render.identity;

import dev.vigil.testing.Tools;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;

/**
 * Debian's OpenLDAP server on loopback, loaded with a directory laid out the way FreeIPA lays out
 * its own: users under cn=users,cn=accounts, groups (groupOfNames, with member) under
 * cn=groups,cn=accounts, system accounts for applications under cn=sysaccounts,cn=etc, and memberOf
 * on users maintained by the server (the memberof overlay; FreeIPA's 389 Directory Server has a
 * memberOf plug-in). As in FreeIPA, anonymous binds are refused and only bound clients read the
 * tree. It serves plain LDAP and LDAPS with a certificate for "localhost" from a CA made per test
 * ({@link TestCa}).
 */
public final class Slapd implements Closeable {
  public static final String SUFFIX = "dc=vmstation,dc=local";
  public static final String ROOT_DN = "cn=Directory Manager," + SUFFIX;
  public static final String USERS = "cn=users,cn=accounts," + SUFFIX;
  public static final String GROUPS = "cn=groups,cn=accounts," + SUFFIX;
  public static final String SYSACCOUNTS = "cn=sysaccounts,cn=etc," + SUFFIX;

  private final Process process;
  private final Path log;
  private final String rootPassword;
  public final int ldapPort;
  public final int ldapsPort;
  public final TestCa ca;

  private Slapd(
      Process process, Path log, String rootPassword, int ldapPort, int ldapsPort, TestCa ca) {
    this.process = process;
    this.log = log;
    this.rootPassword = rootPassword;
    this.ldapPort = ldapPort;
    this.ldapsPort = ldapsPort;
    this.ca = ca;
  }

  /** Starts slapd with its own configuration and database under {@code dir}, ready for binds. */
  public static Slapd start(Path dir, TestCa ca) throws IOException {
    Path slapd = Tools.require("slapd", "slapd");
    Files.createDirectories(dir.resolve("db"));
    String rootPassword = "root-" + Long.toHexString(System.nanoTime());
    int ldapPort = freePort();
    int ldapsPort = freePort();
    String conf =
        String.join(
            "\n",
            "include /etc/ldap/schema/core.schema",
            "include /etc/ldap/schema/cosine.schema",
            "include /etc/ldap/schema/nis.schema",
            "include /etc/ldap/schema/inetorgperson.schema",
            "modulepath /usr/lib/ldap",
            "moduleload back_mdb",
            "moduleload memberof",
            "pidfile " + dir.resolve("slapd.pid"),
            "TLSCACertificateFile " + ca.caCert(),
            "TLSCertificateFile " + ca.serverCert(),
            "TLSCertificateKeyFile " + ca.serverKey(),
            "disallow bind_anon",
            "require authc",
            "database mdb",
            "suffix \"" + SUFFIX + "\"",
            "rootdn \"" + ROOT_DN + "\"",
            "rootpw " + rootPassword,
            "directory " + dir.resolve("db"),
            "maxsize 10485760",
            "access to attrs=userPassword by self write by anonymous auth by * none",
            "access to * by users read by * none",
            "overlay memberof",
            "memberof-group-oc groupOfNames",
            "memberof-member-ad member",
            "memberof-memberof-ad memberOf",
            "memberof-refint true",
            "");
    Path confFile = dir.resolve("slapd.conf");
    Files.writeString(confFile, conf);
    Path log = dir.resolve("slapd.log");
    Process p =
        new ProcessBuilder(
                slapd.toString(),
                "-d",
                "0",
                "-f",
                confFile.toString(),
                "-h",
                "ldap://127.0.0.1:" + ldapPort + "/ ldaps://127.0.0.1:" + ldapsPort + "/")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Slapd s = new Slapd(p, log, rootPassword, ldapPort, ldapsPort, ca);
    try {
      // slapd opens its database and listeners in well under a second; 30 s covers a loaded host.
      Awaitility.await("slapd accepting binds on " + ldapPort)
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(NamingException.class)
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new IllegalStateException("slapd exited:\n" + s.log());
                }
                s.asRoot().close();
                return true;
              });
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /**
   * The FreeIPA-shaped tree: the containers, then whatever users, groups and accounts a test adds.
   */
  public Slapd withFreeIpaTree() throws NamingException {
    DirContext root = asRoot();
    try {
      root.createSubcontext(
          SUFFIX,
          attrs(Map.of("objectClass", List.of("top", "domain"), "dc", List.of("vmstation"))));
      for (String dn :
          List.of("cn=accounts," + SUFFIX, USERS, GROUPS, "cn=etc," + SUFFIX, SYSACCOUNTS)) {
        String cn = dn.substring(3, dn.indexOf(','));
        root.createSubcontext(
            dn,
            attrs(Map.of("objectClass", List.of("top", "organizationalRole"), "cn", List.of(cn))));
      }
    } finally {
      root.close();
    }
    return this;
  }

  /** A FreeIPA user: inetOrgPerson and posixAccount, uid as its RDN. */
  public String addUser(String uid, String givenName, String sn, String password)
      throws NamingException {
    String dn = "uid=" + uid + "," + USERS;
    Map<String, List<String>> a = new java.util.LinkedHashMap<>();
    a.put(
        "objectClass",
        List.of("top", "person", "organizationalPerson", "inetOrgPerson", "posixAccount"));
    a.put("uid", List.of(uid));
    a.put("cn", List.of(givenName + " " + sn));
    a.put("givenName", List.of(givenName));
    a.put("sn", List.of(sn));
    a.put("mail", List.of(uid + "@vmstation.local"));
    a.put("uidNumber", List.of(String.valueOf(1000 + Math.abs(uid.hashCode() % 50000))));
    a.put("gidNumber", List.of("1000"));
    a.put("homeDirectory", List.of("/home/" + uid));
    a.put("userPassword", List.of(password));
    DirContext root = asRoot();
    try {
      root.createSubcontext(dn, attrs(a));
    } finally {
      root.close();
    }
    return dn;
  }

  /** A FreeIPA user group: groupOfNames with its members; the server adds memberOf to them. */
  public String addGroup(String cn, String... memberDns) throws NamingException {
    String dn = "cn=" + cn + "," + GROUPS;
    DirContext root = asRoot();
    try {
      root.createSubcontext(
          dn,
          attrs(
              Map.of(
                  "objectClass",
                  List.of("top", "groupOfNames"),
                  "cn",
                  List.of(cn),
                  "member",
                  List.of(memberDns))));
    } finally {
      root.close();
    }
    return dn;
  }

  /** A FreeIPA system account, the kind an application binds as to search the directory. */
  public String addSystemAccount(String uid, String password) throws NamingException {
    String dn = "uid=" + uid + "," + SYSACCOUNTS;
    DirContext root = asRoot();
    try {
      root.createSubcontext(
          dn,
          attrs(
              Map.of(
                  "objectClass",
                  List.of("top", "account", "simpleSecurityObject"),
                  "uid",
                  List.of(uid),
                  "userPassword",
                  List.of(password))));
    } finally {
      root.close();
    }
    return dn;
  }

  private static BasicAttributes attrs(Map<String, List<String>> values) {
    BasicAttributes a = new BasicAttributes(true);
    values.forEach(
        (k, v) -> {
          BasicAttribute attr = new BasicAttribute(k);
          v.forEach(attr::add);
          a.put(attr);
        });
    return a;
  }

  private DirContext asRoot() throws NamingException {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, "ldap://127.0.0.1:" + ldapPort);
    env.put(Context.SECURITY_AUTHENTICATION, "simple");
    env.put(Context.SECURITY_PRINCIPAL, ROOT_DN);
    env.put(Context.SECURITY_CREDENTIALS, rootPassword);
    env.put("com.sun.jndi.ldap.connect.timeout", "5000");
    env.put("com.sun.jndi.ldap.read.timeout", "10000");
    return new InitialDirContext(env);
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * A CA and a server certificate for "localhost" (and 127.0.0.1) made with the real openssl, the
   * way FreeIPA's CA signs its servers' certificates; the CA certificate is what a Secret holds.
   */
  public record TestCa(Path caCert, Path caKey, Path serverCert, Path serverKey) {
    public static TestCa create(Path dir, int serverDays) {
      Path openssl = Tools.require("openssl", "openssl");
      try {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.crt");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.crt");
        Path ext = dir.resolve("san.cnf");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            caKey.toString(),
            "-out",
            caCert.toString(),
            "-days",
            "60",
            "-subj",
            "/O=VMSTATION.LOCAL/CN=Certificate Authority");
        run(
            openssl,
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            csr.toString(),
            "-subj",
            "/O=VMSTATION.LOCAL/CN=localhost");
        run(
            openssl,
            "x509",
            "-req",
            "-in",
            csr.toString(),
            "-CA",
            caCert.toString(),
            "-CAkey",
            caKey.toString(),
            "-CAcreateserial",
            "-out",
            cert.toString(),
            "-days",
            String.valueOf(serverDays),
            "-extfile",
            ext.toString());
        return new TestCa(caCert, caKey, cert, key);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static void run(Path program, String... args) {
      List<String> command = new ArrayList<>(List.of(program.toString()));
      command.addAll(List.of(args));
      Tools.Run r = Tools.run(null, 60, command);
      if (!r.ok()) {
        throw new AssertionError(String.join(" ", command) + "\n" + r.output());
      }
    }

    /** TLS sockets that trust only this CA (verification of the host name is the caller's). */
    public SSLSocketFactory socketFactory() {
      return socketFactory(caCert);
    }

    public static SSLSocketFactory socketFactory(Path caPem) {
      try (InputStream in = Files.newInputStream(caPem)) {
        X509Certificate ca =
            (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
      } catch (Exception e) {
        throw new IllegalStateException("cannot trust " + caPem + ": " + e, e);
      }
    }
  }
}
