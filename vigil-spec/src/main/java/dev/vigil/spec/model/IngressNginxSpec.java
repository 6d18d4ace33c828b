package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;

@Doc(
    "The ingress-nginx controller that serves the production Ingresses, in"
        + " exposure.ingress.controllerNamespace with IngressClass exposure.ingress.className. Rendered"
        + " in production unless the cluster already runs a controller (enabled: false).")
public record IngressNginxSpec(
    @Doc(
            "Render the controller: unset means on in production, off in homelab; false when the"
                + " cluster already has an ingress controller.")
        Boolean enabled,
    @Doc("Container resources.") Resources resources,
    @Doc("Fewest replicas; the HorizontalPodAutoscaler adds more under load.") @Default("3")
        int minReplicas,
    @Doc("Most replicas the HorizontalPodAutoscaler may run.") @Default("10") int maxReplicas,
    @Doc("Average CPU utilisation (percent of the request) the autoscaler keeps the replicas at.")
        @Default("70")
        int targetCpuPercent,
    @Doc("Address to ask the load balancer for, where the cloud or MetalLB allows choosing.")
        String loadBalancerIP)
    implements Validated {

  @Override
  public void validate(Checks checks) {
    if (minReplicas < 1 || minReplicas > 50) {
      checks.error("minReplicas", "expected 1 to 50, got " + minReplicas);
    }
    if (maxReplicas < minReplicas) {
      checks.error(
          "maxReplicas", "expected at least minReplicas (" + minReplicas + "), got " + maxReplicas);
    }
    if (targetCpuPercent < 10 || targetCpuPercent > 100) {
      checks.error("targetCpuPercent", "expected 10 to 100, got " + targetCpuPercent);
    }
  }

  /** Whether it is rendered for a station of this profile. */
  public boolean renderedFor(Profile profile) {
    return enabled != null ? enabled : profile == Profile.PRODUCTION;
  }
}
