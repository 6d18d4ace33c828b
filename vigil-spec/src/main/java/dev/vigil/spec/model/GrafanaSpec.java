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
      @Doc("Anonymous access role: none, viewer, editor or admin; viewer in homelab, none in production. admin only when set explicitly.")
          AnonymousRole anonymous,
      @Doc("Admin password; when unset, a random one is generated on first start and kept on Grafana's volume.")
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

  @Doc("LDAP login.")
  public record Ldap(
      @Doc("LDAP server host.") @dev.vigil.spec.bind.Required String host,
      @Doc("Port.") @Default("636") int port,
      @Doc("Use LDAPS.") @Default("true") boolean useSsl,
      @Doc("Bind DN.") @dev.vigil.spec.bind.Required String bindDn,
      @Doc("Bind password.") @dev.vigil.spec.bind.Required SecretRef bindPassword,
      @Doc("Search filter.") @Default("(uid=%s)") String searchFilter,
      @Doc("Search base DNs.") List<String> searchBaseDns) {}
}
