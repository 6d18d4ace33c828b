package dev.vigil.render.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.identity.CaSocketFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.function.UnaryOperator;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

/**
 * What Grafana does with an ldap.toml server entry when someone logs in, step by step as its
 * pkg/services/ldap (Login, users, getSearchRequest, buildGrafanaUser, validateGrafanaUser,
 * IsMemberOf, getAttribute) does it, over JNDI instead of Go's LDAP client: dial with TLS trusting
 * root_ca_cert and checking the host name; bind as bind_dn with bind_password (an anonymous bind
 * when the password is empty); search every search_base_dns entry, whole subtree, for {@code (|}
 * search_filter with %s replaced by the escaped login {@code )}, asking for the five mapped
 * attributes; take the first entry; read attributes by their exact names; map groups, first match
 * per organisation; refuse a user no mapping matches; finally bind as the user's DN with the
 * password typed. Grafana itself cannot run here; this follows its source, read at the copies named
 * in the Grafana contract.
 */
final class GrafanaLdapLogin {
  /** The user Grafana would create or update, and the roles it would give. */
  record User(
      String dn,
      String login,
      String name,
      String email,
      List<String> groups,
      String orgRole,
      boolean grafanaAdmin) {}

  /** Grafana refuses the login (wrong password, unknown user, no mapped group). */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final JsonNode server;
  private final UnaryOperator<String> paths;

  /**
   * @param server one element of the parsed file's {@code servers}
   * @param paths maps a path inside the Grafana pod (the mounted CA) to where it is in the test
   */
  GrafanaLdapLogin(JsonNode server, UnaryOperator<String> paths) {
    this.server = server;
    this.paths = paths;
  }

  User login(String username, String password) throws Refused, NamingException {
    String bindPassword = server.path("bind_password").asText("");
    DirContext admin;
    try {
      admin =
          bindPassword.isEmpty()
              ? connect(null, null)
              : connect(server.path("bind_dn").asText(), bindPassword);
    } catch (javax.naming.AuthenticationException e) {
      throw new Refused("search bind refused: " + e.getMessage());
    }
    Attributes entry;
    String dn;
    try {
      SearchControls sc = new SearchControls();
      sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
      JsonNode a = server.path("attributes");
      List<String> wanted = new ArrayList<>();
      for (String k : List.of("username", "surname", "email", "name", "member_of")) {
        if (!a.path(k).asText("").isEmpty()) {
          wanted.add(a.path(k).asText());
        }
      }
      sc.setReturningAttributes(wanted.toArray(new String[0]));
      String filter =
          "(|" + server.path("search_filter").asText().replace("%s", escapeFilter(username)) + ")";
      entry = null;
      dn = null;
      for (JsonNode base : server.path("search_base_dns")) {
        NamingEnumeration<SearchResult> results = admin.search(base.asText(), filter, sc);
        if (results.hasMore()) {
          SearchResult r = results.next();
          entry = r.getAttributes();
          dn = r.getNameInNamespace();
          break;
        }
      }
    } finally {
      admin.close();
    }
    if (entry == null) {
      throw new Refused("can't find user in LDAP");
    }
    JsonNode a = server.path("attributes");
    List<String> groups = values(entry, a.path("member_of").asText(""));
    String orgRole = null;
    Boolean grafanaAdmin = null;
    for (JsonNode m : server.path("group_mappings")) {
      if (orgRole != null) {
        continue;
      }
      if (isMemberOf(groups, m.path("group_dn").asText())) {
        if (!m.path("org_role").asText("").isEmpty()) {
          orgRole = m.path("org_role").asText();
        }
        if (grafanaAdmin == null || !grafanaAdmin) {
          grafanaAdmin = m.has("grafana_admin") ? m.path("grafana_admin").asBoolean() : null;
        }
      }
    }
    if (server.path("group_mappings").size() > 0
        && orgRole == null
        && !Boolean.TRUE.equals(grafanaAdmin)) {
      throw new Refused("user does not belong in any of the specified LDAP groups");
    }
    try {
      connect(dn, password).close();
    } catch (javax.naming.AuthenticationException e) {
      throw new Refused("invalid username or password");
    }
    String name =
        (first(entry, a.path("name").asText("")) + " " + first(entry, a.path("surname").asText("")))
            .strip();
    return new User(
        dn,
        first(entry, a.path("username").asText("")),
        name,
        first(entry, a.path("email").asText("")),
        groups,
        orgRole,
        Boolean.TRUE.equals(grafanaAdmin));
  }

  private DirContext connect(String bindDn, String password) throws NamingException {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    boolean ssl = server.path("use_ssl").asBoolean();
    if (!ssl || server.path("start_tls").asBoolean()) {
      throw new IllegalStateException("this check covers LDAPS, as rendered by default");
    }
    env.put(
        Context.PROVIDER_URL,
        "ldaps://" + server.path("host").asText() + ":" + server.path("port").asInt());
    String ca = server.path("root_ca_cert").asText("");
    if (!ca.isEmpty()) {
      CaSocketFactory.trust(Path.of(paths.apply(ca)));
      env.put("java.naming.ldap.factory.socket", CaSocketFactory.class.getName());
    }
    env.put("com.sun.jndi.ldap.connect.timeout", "5000");
    env.put("com.sun.jndi.ldap.read.timeout", "10000");
    if (bindDn == null) {
      env.put(Context.SECURITY_AUTHENTICATION, "none");
    } else {
      env.put(Context.SECURITY_AUTHENTICATION, "simple");
      env.put(Context.SECURITY_PRINCIPAL, bindDn);
      env.put(Context.SECURITY_CREDENTIALS, password);
    }
    return new InitialDirContext(env);
  }

  /**
   * Grafana's getAttribute: the first value of the attribute whose name is exactly {@code name}.
   */
  private static String first(Attributes entry, String name) throws NamingException {
    List<String> v = values(entry, name);
    return v.isEmpty() ? "" : v.get(0);
  }

  /** Grafana's getArrayAttribute: names compare case-sensitively, as the server returned them. */
  private static List<String> values(Attributes entry, String name) throws NamingException {
    List<String> out = new ArrayList<>();
    NamingEnumeration<? extends Attribute> all = entry.getAll();
    while (all.hasMore()) {
      Attribute attr = all.next();
      if (attr.getID().equals(name)) {
        for (int i = 0; i < attr.size(); i++) {
          out.add(String.valueOf(attr.get(i)));
        }
      }
    }
    return out;
  }

  /**
   * Grafana's IsMemberOf: "*" matches everyone; DNs compare case-insensitively, as whole strings.
   */
  static boolean isMemberOf(List<String> memberOf, String group) {
    if (group.equals("*")) {
      return true;
    }
    return memberOf.stream().anyMatch(m -> m.equalsIgnoreCase(group));
  }

  /** go-ldap's EscapeFilter: \ * ( ) NUL and bytes above 0x7f as \xx. */
  static String escapeFilter(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '\\' || c == '*' || c == '(' || c == ')' || c == 0 || c > 0x7f) {
        sb.append(String.format("\\%02x", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
