package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.SecretRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;

@Doc("Where alerts go.")
public record Alerting(
    @Doc("Receivers; each names exactly one integration.") List<Receiver> receivers,
    @Doc("Routes, tried in order; the first match wins.") List<Route> routes,
    @Doc(
            "Receiver of alerts no route matches; without receivers, alerts stay in Alertmanager's UI.")
        String defaultReceiver,
    @Doc("Labels that group alerts into one notification.") List<String> groupBy,
    @Doc("Wait before the first notification of a group.") @Default("30s") Duration groupWait,
    @Doc("Wait before notifying about new alerts in a group.") @Default("5m")
        Duration groupInterval,
    @Doc("Wait before repeating a notification.") @Default("4h") Duration repeatInterval) {

  @Doc("A notification target.")
  public record Receiver(
      @Doc("Receiver name.") @Required String name,
      @Doc("Slack incoming webhook.") Slack slack,
      @Doc("PagerDuty Events API v2.") PagerDuty pagerduty,
      @Doc("Email.") Email email,
      @Doc("Generic webhook.") Webhook webhook)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      int n =
          (slack != null ? 1 : 0)
              + (pagerduty != null ? 1 : 0)
              + (email != null ? 1 : 0)
              + (webhook != null ? 1 : 0);
      if (n != 1) {
        checks.error(
            "", "a receiver needs exactly one of slack, pagerduty, email or webhook, got " + n);
      }
    }
  }

  @Doc("Slack incoming webhook.")
  public record Slack(
      @Doc("Webhook URL (a secret).") @Required SecretRef apiUrl,
      @Doc("Channel, e.g. #monitoring.") String channel,
      @Doc("Also notify when alerts resolve.") @Default("true") boolean sendResolved) {}

  @Doc("PagerDuty Events API v2.")
  public record PagerDuty(
      @Doc("Integration routing key (a secret).") @Required SecretRef routingKey,
      @Doc("Also notify when alerts resolve.") @Default("true") boolean sendResolved) {}

  @Doc("Email through an SMTP smarthost.")
  public record Email(
      @Doc("Recipient address.") @Required String to,
      @Doc("Sender address.") @Required String from,
      @Doc("SMTP server host:port.") @Required String smarthost,
      @Doc("SMTP user.") String authUsername,
      @Doc("SMTP password (a secret); required when authUsername is set.") SecretRef authPassword,
      @Doc("Require STARTTLS.") @Default("true") boolean requireTls,
      @Doc("Also notify when alerts resolve.") @Default("true") boolean sendResolved)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      if (authUsername != null && authPassword == null) {
        checks.error(
            "authPassword", "authUsername is set, so a password secret reference is required");
      }
    }
  }

  @Doc("Generic webhook (Alertmanager webhook JSON).")
  public record Webhook(
      @Doc("Target URL (a secret: URLs often carry tokens).") @Required SecretRef url,
      @Doc("Also notify when alerts resolve.") @Default("true") boolean sendResolved) {}

  @Doc("Sends matching alerts to a receiver.")
  public record Route(
      @Doc("Receiver name.") @Required String receiver,
      @Doc("Match alerts of this severity (critical, warning, info).") String severity,
      @Doc("Match alerts of this team label.") String team,
      @Doc("Other label equality matchers.") Map<String, String> match,
      @Doc("Keep evaluating later routes after this one matches.") @Default("false")
          boolean continueMatching)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      if (severity == null && team == null && match.isEmpty()) {
        checks.error("", "a route needs at least one of severity, team or match");
      }
    }
  }
}
