package dev.vigil.lint.rules;

import static dev.vigil.lint.LintProfile.BASELINE;
import static dev.vigil.lint.LintProfile.RESTRICTED;
import static dev.vigil.lint.Severity.ERROR;

import dev.vigil.lint.Context;
import dev.vigil.lint.PodSpec;
import dev.vigil.lint.Rule;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Kubernetes Pod Security Standards, "latest" version, baseline and restricted levels. Every
 * check visits containers, init containers and ephemeral containers, and honours pod-level
 * securityContext defaults where the standard does.
 */
final class PssRules {
  private PssRules() {}

  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");
  static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes",
          "net.ipv4.tcp_rmem",
          "net.ipv4.tcp_wmem",
          // policy v1.37
          "net.ipv4.tcp_slow_start_after_idle",
          "net.ipv4.tcp_notsent_lowat");

  /** Volume sources the restricted level allows; {@code image} (OCI image volumes) since v1.33. */
  static final Set<String> RESTRICTED_VOLUMES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "image",
          "persistentVolumeClaim",
          "projected",
          "secret");

  static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

  private static final String PSS = "pod-security";
  private static final String PSS_DOC =
      " Part of the Kubernetes Pod Security Standards (%s level, version \"latest\").";

  private static Rule rule(
      String id,
      dev.vigil.lint.LintProfile level,
      String title,
      String doc,
      String fix,
      PodRule.Check c) {
    return new PodRule(
        id, ERROR, level, PSS, title, doc + String.format(PSS_DOC, level.label()), fix, c);
  }

  static List<Rule> all() {
    List<Rule> r = new ArrayList<>();
    r.add(
        rule(
            "pss-host-process",
            BASELINE,
            "Windows HostProcess pods are forbidden",
            "Windows HostProcess containers get privileged access to the Windows node. The pod's"
                + " and every container's securityContext.windowsOptions.hostProcess must be unset"
                + " or false.",
            "Remove securityContext.windowsOptions.hostProcess or set it to false.",
            PssRules::hostProcess));
    r.add(
        rule(
            "pss-host-namespaces",
            BASELINE,
            "Host namespaces are forbidden",
            "Sharing the node's network, PID or IPC namespace lets a pod see and reach host"
                + " processes and interfaces. spec.hostNetwork, spec.hostPID and spec.hostIPC must"
                + " be unset or false.",
            "Remove hostNetwork, hostPID and hostIPC (or set them to false).",
            PssRules::hostNamespaces));
    r.add(
        rule(
            "pss-privileged",
            BASELINE,
            "Privileged containers are forbidden",
            "A privileged container has every capability and all host devices; it is root on the"
                + " node. securityContext.privileged must be unset or false on every container.",
            "Remove securityContext.privileged; grant only the specific capability needed.",
            PssRules::privileged));
    r.add(
        rule(
            "pss-capabilities-baseline",
            BASELINE,
            "Only default capabilities may be added",
            "Adding capabilities beyond the container runtime's default set (AUDIT_WRITE, CHOWN,"
                + " DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID,"
                + " SETPCAP, SETUID, SYS_CHROOT) widens what a compromised process can do to the"
                + " node.",
            "Remove the extra entries from securityContext.capabilities.add, or exempt the object"
                + " with a reason if it truly needs them (for example chrony's SYS_TIME).",
            PssRules::capabilitiesBaseline));
    r.add(
        rule(
            "pss-host-path",
            BASELINE,
            "hostPath volumes are forbidden",
            "A hostPath volume mounts a node directory into the pod; writes and even reads can"
                + " break out of the container. spec.volumes[*].hostPath must be unset.",
            "Use a configMap, secret, emptyDir or persistentVolumeClaim volume instead.",
            PssRules::hostPath));
    r.add(
        rule(
            "pss-host-ports",
            BASELINE,
            "Host ports are forbidden",
            "A hostPort binds a port on the node's address, bypassing Services and NetworkPolicy."
                + " Every containerPort's hostPort must be unset or 0.",
            "Remove hostPort and expose the port through a Service.",
            PssRules::hostPorts));
    r.add(
        rule(
            "pss-apparmor",
            BASELINE,
            "AppArmor may not be disabled",
            "AppArmor confines what a container may do. An appArmorProfile set on the pod or a"
                + " container must have type RuntimeDefault or Localhost, and the legacy"
                + " container.apparmor.security.beta.kubernetes.io annotations must be empty,"
                + " runtime/default or localhost/<profile>.",
            "Remove the Unconfined profile; use RuntimeDefault.",
            PssRules::appArmor));
    r.add(
        rule(
            "pss-selinux",
            BASELINE,
            "Custom SELinux user, role or type is forbidden",
            "seLinuxOptions.type must be unset or one of container_t, container_init_t,"
                + " container_kvm_t, container_engine_t, and seLinuxOptions.user and .role must be"
                + " unset, at pod and container level.",
            "Remove seLinuxOptions.user/role and use an allowed type.",
            PssRules::seLinux));
    r.add(
        rule(
            "pss-proc-mount",
            BASELINE,
            "/proc must keep its default masks",
            "The default /proc mount masks kernel interfaces. securityContext.procMount must be"
                + " unset or Default, unless the pod runs in a user namespace (spec.hostUsers:"
                + " false).",
            "Remove securityContext.procMount.",
            PssRules::procMountBaseline));
    r.add(
        rule(
            "pss-seccomp-baseline",
            BASELINE,
            "Seccomp may not be disabled",
            "A seccompProfile set on the pod or on any container must have type RuntimeDefault or"
                + " Localhost: Unconfined (or a profile without a type) turns the syscall filter"
                + " off. Leaving it unset is allowed at this level.",
            "Set seccompProfile.type to RuntimeDefault.",
            PssRules::seccompBaseline));
    r.add(
        rule(
            "pss-sysctls",
            BASELINE,
            "Only namespaced, safe sysctls",
            "Sysctls outside the safe set can affect the whole node. spec.securityContext.sysctls"
                + " may only name: "
                + String.join(", ", SAFE_SYSCTLS.stream().sorted().toList())
                + ".",
            "Remove the unsafe sysctl, or set it on the node instead.",
            PssRules::sysctls));
    r.add(
        rule(
            "pss-host-probes",
            BASELINE,
            "Probes and lifecycle hooks may not target another host",
            "A probe or lifecycle hook with httpGet.host or tcpSocket.host makes the kubelet"
                + " connect to an arbitrary address on the pod's behalf. The host field must be"
                + " unset or empty.",
            "Remove host from the probe or hook; it defaults to the pod IP.",
            PssRules::hostProbes));
    r.add(
        rule(
            "pss-ulimits",
            BASELINE,
            "Container ulimits are forbidden",
            "Setting securityContext.ulimits is only allowed by the privileged level.",
            "Remove securityContext.ulimits.",
            PssRules::ulimits));
    r.add(
        rule(
            "pss-volume-types",
            RESTRICTED,
            "Only core volume types",
            "The restricted level allows only configMap, csi, downwardAPI, emptyDir, ephemeral,"
                + " image, persistentVolumeClaim, projected and secret volumes; anything else"
                + " (hostPath, nfs, iscsi, ...) must be exposed through a PersistentVolume.",
            "Replace the inline volume source with a persistentVolumeClaim.",
            PssRules::volumeTypes));
    r.add(
        rule(
            "pss-privilege-escalation",
            RESTRICTED,
            "Privilege escalation must be disabled",
            "Every container must set securityContext.allowPrivilegeEscalation: false so setuid"
                + " binaries cannot gain privileges (not required for Windows pods).",
            "Set securityContext.allowPrivilegeEscalation: false on every container.",
            PssRules::privilegeEscalation));
    r.add(
        rule(
            "pss-run-as-non-root",
            RESTRICTED,
            "Containers must run as non-root",
            "spec.securityContext.runAsNonRoot must be true, or every container must set it to"
                + " true; neither the pod nor any container may set it to false. Pods in a user"
                + " namespace (spec.hostUsers: false) are exempt.",
            "Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser).",
            PssRules::runAsNonRoot));
    r.add(
        rule(
            "pss-run-as-user",
            RESTRICTED,
            "Containers must not run as UID 0",
            "runAsUser must not be 0 at pod or container level. Pods in a user namespace"
                + " (spec.hostUsers: false) are exempt.",
            "Set runAsUser to a non-zero UID, for example 65534.",
            PssRules::runAsUser));
    r.add(
        rule(
            "pss-seccomp-restricted",
            RESTRICTED,
            "A seccomp profile must be set",
            "The pod's seccompProfile.type must be RuntimeDefault or Localhost, or every container"
                + " must set one of those; containers may not set any other type (not required for"
                + " Windows pods).",
            "Set spec.securityContext.seccompProfile.type: RuntimeDefault.",
            PssRules::seccompRestricted));
    r.add(
        rule(
            "pss-capabilities-restricted",
            RESTRICTED,
            "Drop ALL capabilities; add only NET_BIND_SERVICE",
            "Every container must drop ALL capabilities and may add back only NET_BIND_SERVICE"
                + " (not required for Windows pods).",
            "Set securityContext.capabilities.drop: [ALL] and remove other added capabilities.",
            PssRules::capabilitiesRestricted));
    r.add(
        rule(
            "pss-proc-mount-restricted",
            RESTRICTED,
            "/proc must keep its default masks, even in a user namespace",
            "At the restricted level securityContext.procMount must be unset or Default for every"
                + " container, whatever spec.hostUsers says.",
            "Remove securityContext.procMount.",
            PssRules::procMountRestricted));
    r.add(
        rule(
            "pss-cgroup-options",
            RESTRICTED,
            "The cgroup filesystem must stay read-only",
            "securityContext.cgroupOptions.mountMode must be unset or ReadOnly.",
            "Remove securityContext.cgroupOptions.mountMode or set it to ReadOnly.",
            PssRules::cgroupOptions));
    return r;
  }

  // ---- checks -------------------------------------------------------------------------------

  private static void hostProcess(PodSpec p, Context ctx) {
    if (YamlValues.isTrue(YamlValues.map(p.securityContext(), "windowsOptions"), "hostProcess")) {
      ctx.report(
          p.owner(),
          p.securityContext(),
          "pod sets securityContext.windowsOptions.hostProcess=true");
    }
    for (PodSpec.Container c : p.allContainers()) {
      if (YamlValues.isTrue(YamlValues.map(c.securityContext(), "windowsOptions"), "hostProcess")) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe() + " sets securityContext.windowsOptions.hostProcess=true");
      }
    }
  }

  private static void hostNamespaces(PodSpec p, Context ctx) {
    for (String f : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (YamlValues.isTrue(p.spec(), f)) {
        ctx.report(p.owner(), p.spec(), p.prefix() + "." + f + "=true shares the node's namespace");
      }
    }
  }

  private static void privileged(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      if (YamlValues.isTrue(c.securityContext(), "privileged")) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets securityContext.privileged=true");
      }
    }
  }

  private static List<String> strings(List<Object> l) {
    if (l.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(o == null ? "" : String.valueOf(o));
    }
    return out;
  }

  private static void capabilitiesBaseline(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      List<String> bad =
          strings(YamlValues.list(YamlValues.map(c.securityContext(), "capabilities"), "add"))
              .stream()
              .filter(cap -> !BASELINE_CAPABILITIES.contains(cap))
              .toList();
      if (!bad.isEmpty()) {
        ctx.report(p.owner(), c.body(), c.describe() + " adds non-default capabilities " + bad);
      }
    }
  }

  private static void hostPath(PodSpec p, Context ctx) {
    for (Object v : YamlValues.list(p.spec(), "volumes")) {
      if (YamlValues.get(v, "hostPath") != null) {
        ctx.report(
            p.owner(),
            v,
            "volume \""
                + YamlValues.str(v, "name")
                + "\" mounts hostPath "
                + YamlValues.str(YamlValues.get(v, "hostPath"), "path"));
      }
    }
  }

  private static void hostPorts(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      for (Object port : YamlValues.list(c.body(), "ports")) {
        Long hp = YamlValues.num(port, "hostPort");
        if (hp != null && hp != 0) {
          ctx.report(p.owner(), port, c.describe() + " uses hostPort " + hp);
        }
      }
    }
  }

  // A profile that is set must name RuntimeDefault or Localhost: Unconfined, and a profile without
  // a type, are forbidden (as upstream, where the missing type is the empty, disallowed value).
  private static boolean badAppArmorType(Map<String, Object> sc) {
    if (!YamlValues.has(sc, "appArmorProfile")) {
      return false;
    }
    String t = YamlValues.str(YamlValues.map(sc, "appArmorProfile"), "type");
    return !"RuntimeDefault".equals(t) && !"Localhost".equals(t);
  }

  private static String appArmorType(Map<String, Object> sc) {
    String t = YamlValues.str(YamlValues.map(sc, "appArmorProfile"), "type");
    return t == null ? "an appArmorProfile without a type" : "appArmorProfile.type " + t;
  }

  private static void appArmor(PodSpec p, Context ctx) {
    if (badAppArmorType(p.securityContext())) {
      ctx.report(p.owner(), p.securityContext(), "pod sets " + appArmorType(p.securityContext()));
    }
    for (PodSpec.Container c : p.allContainers()) {
      if (badAppArmorType(c.securityContext())) {
        ctx.report(
            p.owner(), c.body(), c.describe() + " sets " + appArmorType(c.securityContext()));
      }
    }
    for (Map.Entry<String, Object> a : p.annotations().entrySet()) {
      if (a.getKey().startsWith(APPARMOR_PREFIX)) {
        String v = YamlValues.scalar(a.getValue());
        if (v != null
            && !(v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/"))) {
          ctx.report(
              p.owner(), p.meta(), "annotation " + a.getKey() + "=" + v + " disables AppArmor");
        }
      }
    }
  }

  private static String badSeLinux(Map<String, Object> sc) {
    if (!YamlValues.has(sc, "seLinuxOptions")) {
      return null;
    }
    Map<String, Object> o = YamlValues.map(sc, "seLinuxOptions");
    List<String> bad = new ArrayList<>();
    String type = YamlValues.str(o, "type");
    if (type != null && !SELINUX_TYPES.contains(type)) {
      bad.add("type " + type);
    }
    String user = YamlValues.str(o, "user");
    if (user != null && !user.isEmpty()) {
      bad.add("user " + user);
    }
    String role = YamlValues.str(o, "role");
    if (role != null && !role.isEmpty()) {
      bad.add("role " + role);
    }
    return bad.isEmpty() ? null : String.join(", ", bad);
  }

  private static void seLinux(PodSpec p, Context ctx) {
    String bad = badSeLinux(p.securityContext());
    if (bad != null) {
      ctx.report(p.owner(), p.securityContext(), "pod sets forbidden seLinuxOptions " + bad);
    }
    for (PodSpec.Container c : p.allContainers()) {
      bad = badSeLinux(c.securityContext());
      if (bad != null) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets forbidden seLinuxOptions " + bad);
      }
    }
  }

  private static String procMount(PodSpec.Container c) {
    String pm = YamlValues.str(c.securityContext(), "procMount");
    return pm == null || pm.equals("Default") ? null : pm;
  }

  private static void procMountBaseline(PodSpec p, Context ctx) {
    if (YamlValues.isFalse(p.spec(), "hostUsers")) {
      return;
    }
    for (PodSpec.Container c : p.allContainers()) {
      String pm = procMount(c);
      if (pm != null) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets securityContext.procMount=" + pm);
      }
    }
  }

  private static void procMountRestricted(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      String pm = procMount(c);
      if (pm != null) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets securityContext.procMount=" + pm);
      }
    }
  }

  /** The seccomp type, "" when a profile is given without one, null when there is no profile. */
  private static String seccompType(Map<String, Object> sc) {
    if (!YamlValues.has(sc, "seccompProfile")) {
      return null;
    }
    String t = YamlValues.str(YamlValues.map(sc, "seccompProfile"), "type");
    return t == null ? "" : t;
  }

  // Any explicitly set type other than RuntimeDefault or Localhost (Unconfined, or a profile
  // without a type) is forbidden; leaving the profile unset is allowed at this level.
  private static void seccompBaseline(PodSpec p, Context ctx) {
    String podType = seccompType(p.securityContext());
    if (podType != null && !validSeccomp(podType)) {
      ctx.report(p.owner(), p.securityContext(), "pod sets seccompProfile.type=" + podType);
    }
    for (PodSpec.Container c : p.allContainers()) {
      String t = seccompType(c.securityContext());
      if (t != null && !validSeccomp(t)) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets seccompProfile.type=" + t);
      }
    }
  }

  private static void sysctls(PodSpec p, Context ctx) {
    for (Object s : YamlValues.list(p.securityContext(), "sysctls")) {
      String name = YamlValues.str(s, "name");
      if (name == null || !SAFE_SYSCTLS.contains(name)) {
        ctx.report(p.owner(), s, "pod sets unsafe sysctl " + name);
      }
    }
  }

  private static void hostProbes(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      List<Map<String, Object>> handlers = new ArrayList<>();
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        handlers.add(YamlValues.map(c.body(), probe));
      }
      Map<String, Object> lc = YamlValues.map(c.body(), "lifecycle");
      handlers.add(YamlValues.map(lc, "postStart"));
      handlers.add(YamlValues.map(lc, "preStop"));
      for (Map<String, Object> h : handlers) {
        for (String action : List.of("httpGet", "tcpSocket")) {
          String host = YamlValues.str(YamlValues.map(h, action), "host");
          if (host != null && !host.isEmpty()) {
            ctx.report(
                p.owner(),
                c.body(),
                c.describe() + " has a probe or hook with " + action + ".host=" + host);
          }
        }
      }
    }
  }

  private static void ulimits(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      if (YamlValues.has(c.securityContext(), "ulimits")) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets securityContext.ulimits");
      }
    }
  }

  private static void volumeTypes(PodSpec p, Context ctx) {
    for (Object v : YamlValues.list(p.spec(), "volumes")) {
      List<String> sources =
          YamlValues.asMap(v).entrySet().stream()
              .filter(e -> !e.getKey().equals("name") && e.getValue() != null)
              .map(Map.Entry::getKey)
              .toList();
      // A volume without a source is defaulted to emptyDir by the API server.
      List<String> bad = sources.stream().filter(s -> !RESTRICTED_VOLUMES.contains(s)).toList();
      if (!bad.isEmpty()) {
        ctx.report(
            p.owner(),
            v,
            "volume \"" + YamlValues.str(v, "name") + "\" uses restricted type " + bad);
      }
    }
  }

  private static void privilegeEscalation(PodSpec p, Context ctx) {
    if (p.windows()) {
      return;
    }
    for (PodSpec.Container c : p.allContainers()) {
      if (!YamlValues.isFalse(c.securityContext(), "allowPrivilegeEscalation")) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe() + " must set securityContext.allowPrivilegeEscalation=false");
      }
    }
  }

  // UID 0 inside a user namespace (spec.hostUsers: false) is not root on the node, so upstream
  // relaxes the two user checks for such pods.
  private static boolean userNamespace(PodSpec p) {
    return YamlValues.isFalse(p.spec(), "hostUsers");
  }

  private static void runAsNonRoot(PodSpec p, Context ctx) {
    if (userNamespace(p)) {
      return;
    }
    boolean podTrue = false;
    Map<String, Object> psc = p.securityContext();
    if (YamlValues.isFalse(psc, "runAsNonRoot")) {
      ctx.report(p.owner(), psc, "pod sets securityContext.runAsNonRoot=false");
    } else if (YamlValues.isTrue(psc, "runAsNonRoot")) {
      podTrue = true;
    }
    for (PodSpec.Container c : p.allContainers()) {
      Map<String, Object> sc = c.securityContext();
      if (YamlValues.isFalse(sc, "runAsNonRoot")) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets securityContext.runAsNonRoot=false");
      } else if (!YamlValues.isTrue(sc, "runAsNonRoot") && !podTrue) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe() + " must set securityContext.runAsNonRoot=true (or the pod must)");
      }
    }
  }

  private static void runAsUser(PodSpec p, Context ctx) {
    if (userNamespace(p)) {
      return;
    }
    Long u = YamlValues.num(p.securityContext(), "runAsUser");
    if (u != null && u == 0) {
      ctx.report(p.owner(), p.securityContext(), "pod sets securityContext.runAsUser=0");
    }
    for (PodSpec.Container c : p.allContainers()) {
      u = YamlValues.num(c.securityContext(), "runAsUser");
      if (u != null && u == 0) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets securityContext.runAsUser=0");
      }
    }
  }

  private static boolean validSeccomp(String t) {
    return "RuntimeDefault".equals(t) || "Localhost".equals(t);
  }

  private static void seccompRestricted(PodSpec p, Context ctx) {
    if (p.windows()) {
      return;
    }
    String podType = seccompType(p.securityContext());
    boolean podOk = validSeccomp(podType);
    if (podType != null && !podOk) {
      ctx.report(p.owner(), p.securityContext(), "pod sets seccompProfile.type=" + podType);
    }
    for (PodSpec.Container c : p.allContainers()) {
      String t = seccompType(c.securityContext());
      if (t != null) {
        if (!validSeccomp(t)) {
          ctx.report(p.owner(), c.body(), c.describe() + " sets seccompProfile.type=" + t);
        }
      } else if (!podOk) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe()
                + " must set seccompProfile.type to RuntimeDefault or Localhost (or the pod must)");
      }
    }
  }

  private static void capabilitiesRestricted(PodSpec p, Context ctx) {
    if (p.windows()) {
      return;
    }
    for (PodSpec.Container c : p.allContainers()) {
      Map<String, Object> caps = YamlValues.map(c.securityContext(), "capabilities");
      if (!strings(YamlValues.list(caps, "drop")).contains("ALL")) {
        ctx.report(p.owner(), c.body(), c.describe() + " must drop ALL capabilities");
      }
      List<String> bad =
          strings(YamlValues.list(caps, "add")).stream()
              .filter(a -> !a.equals("NET_BIND_SERVICE"))
              .toList();
      if (!bad.isEmpty()) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe() + " adds capabilities " + bad + " (only NET_BIND_SERVICE is allowed)");
      }
    }
  }

  private static void cgroupOptions(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      String mode =
          YamlValues.str(YamlValues.map(c.securityContext(), "cgroupOptions"), "mountMode");
      if (mode != null && !mode.equals("ReadOnly")) {
        ctx.report(p.owner(), c.body(), c.describe() + " sets cgroupOptions.mountMode=" + mode);
      }
    }
  }
}
