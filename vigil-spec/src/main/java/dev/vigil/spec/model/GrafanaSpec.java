package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.types.SecretRef;
import java.util.List;

@Doc("Grafana.")
public record GrafanaSpec(
    @Doc("Deploy it.") @Default("true") boolean enabled,
    @Doc("Image override.") String image,
    @Doc("Container resources.") Resources resources,
    @Doc("Volume for Grafana's database (default 5Gi).") Storage storage,
    @Doc("Login settings.") GrafanaAuth auth,
    @Doc("External access (NodePort 30300 in homelab).") Access access) {

  @Doc("How people log in to Grafana.")
  public record GrafanaAuth(
      @Doc(
              "Anonymous access role: none, viewer, editor or admin; viewer in homelab, none in production. admin only when set explicitly.")
          AnonymousRole anonymous,
      @Doc(
              "Admin password; when unset, a random one is generated on first start and kept on Grafana's volume.")
          SecretRef adminPassword,
      @Doc("Generic OAuth / OIDC login.") Oidc oidc,
      @Doc("LDAP login.") Ldap ldap) {}

  public enum AnonymousRole {
    NONE,
    VIEWER,
    EDITOR,
    ADMIN
  }

  @Doc("OpenID Connect login through Grafana's generic OAuth.")
  public record Oidc(
      @Doc("Button label.") @Default("SSO") String name,
      @Doc("Authorization endpoint URL.") @dev.vigil.spec.bind.Required String authUrl,
      @Doc("Token endpoint URL.") @dev.vigil.spec.bind.Required String tokenUrl,
      @Doc("Userinfo endpoint URL.") @dev.vigil.spec.bind.Required String apiUrl,
      @Doc("Client id.") @dev.vigil.spec.bind.Required String clientId,
      @Doc("Client secret.") @dev.vigil.spec.bind.Required SecretRef clientSecret,
      @Doc("Scopes.") List<String> scopes,
      @Doc("JMESPath mapping claims to Grafana roles.") String roleAttributePath) {}

  @Doc(
      "LDAP login, LDAPS by default, laid out for FreeIPA's directory unless told otherwise: users"
          + " under cn=users,cn=accounts, groups under cn=groups,cn=accounts, membership in memberOf.")
  public record Ldap(
      @Doc(
              "LDAP server host name, as its TLS certificate names it; the station's FreeIPA server"
                  + " (identity.freeipa) when unset.")
          String host,
      @Doc("Port: 636 for LDAPS, 389 with startTls.") @Default("636") int port,
      @Doc(
              "Use TLS (LDAPS, or StartTLS with startTls). Plain LDAP is refused: the bind password and"
                  + " every user's password would cross the network in clear.")
          @Default("true")
          boolean useSsl,
      @Doc("Upgrade a plain LDAP connection with StartTLS instead of connecting with LDAPS.")
          @Default("false")
          boolean startTls,
      @Doc(
              "CA certificate (PEM) in a Kubernetes Secret that the server's certificate must chain to,"
                  + " e.g. FreeIPA's /etc/ipa/ca.crt; identity.freeipa.ca for the station's FreeIPA, else the"
                  + " system's trusted roots, when unset.")
          SecretRef caCert,
      @Doc(
              "DN Grafana binds as to search for users (a FreeIPA system account such as"
                  + " uid=grafana,cn=sysaccounts,cn=etc,dc=example,dc=org). Never anonymous.")
          @dev.vigil.spec.bind.Required
          String bindDn,
      @Doc(
              "Bind password: a Secret key, read when the pod starts. Must not be empty or contain"
                  + " control characters (line breaks); the pod refuses to start otherwise.")
          @dev.vigil.spec.bind.Required
          SecretRef bindPassword,
      @Doc(
              "Base DN of the directory (dc=vmstation,dc=local); the user search base and short group"
                  + " names are under it. Derived from identity.freeipa's domain when unset.")
          String baseDn,
      @Doc("Search filter; %s is the login name.") @Default("(uid=%s)") String searchFilter,
      @Doc("Where users are searched; cn=users,cn=accounts,<baseDn> (FreeIPA's users) when unset.")
          List<String> searchBaseDns,
      @Doc("Names of the user attributes Grafana reads.") Attributes attributes,
      @Doc(
              "Group to Grafana role, first match wins; a user in none of the groups cannot log in."
                  + " With no mappings every directory user logs in as a Viewer.")
          List<GroupMapping> groupMappings)
      implements dev.vigil.spec.bind.Validated {

    /** The user search bases in effect, or empty when neither they nor a base DN are given. */
    public List<String> effectiveSearchBaseDns() {
      if (!searchBaseDns.isEmpty()) {
        return searchBaseDns;
      }
      return baseDn == null ? List.of() : List.of("cn=users,cn=accounts," + baseDn);
    }

    /**
     * The DN a mapping's group stands for: itself when a DN or "*", else a FreeIPA group under
     * baseDn.
     */
    public String groupDn(GroupMapping m) {
      if (m.group().equals("*") || m.group().contains("=")) {
        return m.group();
      }
      return "cn=" + m.group() + ",cn=groups,cn=accounts," + baseDn;
    }

    /**
     * This login with what the station's FreeIPA implies filled in where the spec leaves it unset:
     * its host, CA and base DN.
     */
    public Ldap withDefaults(IdentitySpec.FreeIpa ipa, Cluster cluster) {
      if (ipa == null) {
        return this;
      }
      boolean same = host == null || host.equals(ipa.serverHost(cluster));
      return new Ldap(
          host != null ? host : ipa.serverHost(cluster),
          port,
          useSsl,
          startTls,
          caCert != null || !same ? caCert : ipa.ca(),
          bindDn,
          bindPassword,
          baseDn != null || !same ? baseDn : ipa.baseDn(),
          searchFilter,
          searchBaseDns,
          attributes,
          groupMappings);
    }

    /**
     * Problems only the whole station shows: a login without a server or a search base (paths
     * relative to ldap).
     */
    public List<String[]> stationProblems() {
      List<String[]> out = new java.util.ArrayList<>();
      if (host == null) {
        out.add(
            new String[] {
              "host",
              "expected the LDAP server's host name, or identity.freeipa for the station's own"
            });
      }
      if (searchBaseDns.isEmpty() && baseDn == null) {
        out.add(
            new String[] {
              "searchBaseDns",
              "expected the DNs to search users under, or baseDn (users are then"
                  + " searched under cn=users,cn=accounts,<baseDn>); Grafana refuses an LDAP server without them"
            });
      }
      for (int i = 0; i < groupMappings.size(); i++) {
        GroupMapping m = groupMappings.get(i);
        if (!m.group().equals("*") && !m.group().contains("=") && baseDn == null) {
          out.add(
              new String[] {
                "groupMappings[" + i + "].group",
                "a group name ("
                    + dev.vigil.spec.bind.Excerpts.quoted(m.group())
                    + ") is looked up under cn=groups,cn=accounts,<baseDn>: set baseDn, or write the group's DN"
              });
        }
      }
      return out;
    }

    @Override
    public void validate(Checks c) {
      if (!useSsl) {
        c.error(
            "useSsl",
            "plain LDAP would send the bind password and users' passwords in clear;"
                + " use LDAPS (port 636) or startTls (port 389)");
      }
      if (bindDn.isBlank() || bindDn.contains("%s")) {
        c.error(
            "bindDn",
            "expected the DN of a search account: Grafana never binds anonymously here,"
                + " and a %s bind DN would search with each user's own rights");
      }
      for (int i = 0; i < searchBaseDns.size(); i++) {
        if (!searchBaseDns.get(i).contains("=")) {
          c.error(
              "searchBaseDns[" + i + "]",
              "expected a DN such as cn=users,cn=accounts,dc=example,dc=org, got "
                  + dev.vigil.spec.bind.Excerpts.quoted(searchBaseDns.get(i)));
        }
      }
      if (!searchFilter.contains("%s")) {
        c.error(
            "searchFilter",
            "expected a filter with %s where the login name goes, got "
                + dev.vigil.spec.bind.Excerpts.quoted(searchFilter));
      }
    }
  }

  @Doc(
      "Names of the user attributes Grafana reads (FreeIPA's by default). Grafana has no defaults of"
          + " its own: without them users come back without a login or e-mail.")
  public record Attributes(
      @Doc("Login name.") @Default("uid") String username,
      @Doc("Given name.") @Default("givenName") String name,
      @Doc("Surname.") @Default("sn") String surname,
      @Doc("E-mail address.") @Default("mail") String email,
      @Doc("Groups the user is a member of (DNs), compared with the group mappings.")
          @Default("memberOf")
          String memberOf) {}

  @Doc("One group and the Grafana role its members get.")
  public record GroupMapping(
      @Doc("Group: a FreeIPA group name (admins), a DN, or * for every user.")
          @dev.vigil.spec.bind.Required
          String group,
      @Doc("Role in Grafana's main organisation: viewer, editor or admin.")
          @dev.vigil.spec.bind.Required
          Role role,
      @Doc("Also make them Grafana server admins.") @Default("false") boolean grafanaAdmin) {}

  /** A Grafana organisation role. */
  public enum Role {
    VIEWER,
    EDITOR,
    ADMIN
  }
}
