package dev.vigil.render.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A component's NetworkPolicy: ingress allowed only on named ports from named peers; egress either
 * open (scrapers, notifiers) or limited to DNS plus named peers.
 */
public final class NetPol {
  private final ComponentObjects kit;
  private final List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
  private final List<NetworkPolicyEgressRule> egress = new ArrayList<>();
  private boolean restrictEgress;

  private NetPol(ComponentObjects kit) {
    this.kit = kit;
  }

  public static NetPol forComponent(ComponentObjects kit) {
    return new NetPol(kit);
  }

  /** Pods of an app in a namespace. */
  public static NetworkPolicyPeer app(String namespace, String appName) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace))
                .build())
        .withPodSelector(
            new LabelSelectorBuilder().withMatchLabels(Map.of(Labels.NAME, appName)).build())
        .build();
  }

  /** Every pod of a namespace. */
  public static NetworkPolicyPeer namespace(String namespace) {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(
            new LabelSelectorBuilder()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace))
                .build())
        .build();
  }

  public static NetworkPolicyPort tcp(int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("TCP")
        .withPort(new IntOrString(port))
        .build();
  }

  public static NetworkPolicyPort udp(int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol("UDP")
        .withPort(new IntOrString(port))
        .build();
  }

  /** Allows traffic to the ports from the peers; no peers means from anywhere. */
  public NetPol allowIn(List<NetworkPolicyPort> ports, NetworkPolicyPeer... from) {
    ingress.add(new NetworkPolicyIngressRuleBuilder().withPorts(ports).withFrom(from).build());
    return this;
  }

  /**
   * Limits egress to DNS plus the rules added with {@link #allowOut}. DNS is CoreDNS's pods in
   * kube-system and the spec's other DNS addresses: a NodeLocal DNSCache answers on the host
   * network, which no namespace selector matches.
   */
  public NetPol restrictEgress() {
    restrictEgress = true;
    List<NetworkPolicyPeer> dns = new java.util.ArrayList<>();
    dns.add(namespace("kube-system"));
    var extra = kit.ctx().station().cluster().dnsAddresses();
    for (String address :
        extra == null ? List.<String>of() : extra.stream().map(a -> a.text()).toList()) {
      dns.add(
          new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder()
              .withNewIpBlock()
              .withCidr(address.contains(":") ? address + "/128" : address + "/32")
              .endIpBlock()
              .build());
    }
    egress.add(
        new NetworkPolicyEgressRuleBuilder().withPorts(udp(53), tcp(53)).withTo(dns).build());
    return this;
  }

  public NetPol allowOut(List<NetworkPolicyPort> ports, NetworkPolicyPeer... to) {
    egress.add(new NetworkPolicyEgressRuleBuilder().withPorts(ports).withTo(to).build());
    return this;
  }

  public NetworkPolicy build() {
    NetworkPolicyBuilder b =
        new NetworkPolicyBuilder()
            .withMetadata(kit.meta(kit.name()))
            .withNewSpec()
            .withPodSelector(kit.selector())
            .withIngress(ingress)
            .endSpec();
    NetworkPolicy np = b.build();
    if (restrictEgress) {
      np.getSpec().setPolicyTypes(List.of("Ingress", "Egress"));
      np.getSpec().setEgress(egress);
    } else {
      np.getSpec().setPolicyTypes(List.of("Ingress"));
    }
    return np;
  }
}
