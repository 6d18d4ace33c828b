package dev.vigil.agent.syslog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A parsed syslog message. Every input yields one: a message that could not be parsed carries its
 * whole text in {@code message} and the reason in {@code parseError}.
 *
 * @param eventTime the time the sender wrote, or null when it sent none or it was unreadable
 * @param fields extra fields the body carried (key=value pairs, Cisco mnemonic, sequence numbers)
 */
public record SyslogMessage(
    Format format,
    int facility,
    int severity,
    Instant eventTime,
    String hostname,
    String appName,
    String procId,
    String msgId,
    List<SdElement> structuredData,
    String message,
    Map<String, String> fields,
    String parseError) {

  public SyslogMessage {
    // Most messages have neither: skip copying empty collections.
    structuredData = structuredData.isEmpty() ? List.of() : List.copyOf(structuredData);
    fields = fields.isEmpty() ? Map.of() : Map.copyOf(fields);
    hostname = hostname == null ? "" : hostname;
    appName = appName == null ? "" : appName;
    procId = procId == null ? "" : procId;
    msgId = msgId == null ? "" : msgId;
    message = message == null ? "" : message;
  }

  /** Wire format the parser recognised. */
  public enum Format {
    RFC5424,
    RFC3164,
    CISCO,
    KEY_VALUE,
    UNPARSED
  }

  /** One RFC 5424 structured-data element. Params keep their order; names may repeat. */
  public record SdElement(String id, List<Map.Entry<String, String>> params) {
    public SdElement {
      params = List.copyOf(params);
    }
  }

  public static final String[] FACILITIES = {
    "kern",
    "user",
    "mail",
    "daemon",
    "auth",
    "syslog",
    "lpr",
    "news",
    "uucp",
    "cron",
    "authpriv",
    "ftp",
    "ntp",
    "security",
    "console",
    "solaris-cron",
    "local0",
    "local1",
    "local2",
    "local3",
    "local4",
    "local5",
    "local6",
    "local7"
  };

  public static final String[] SEVERITIES =
      dev.vigil.spec.syslog.SyslogSpec.SEVERITIES.toArray(String[]::new);

  public String facilityName() {
    return facility >= 0 && facility < FACILITIES.length ? FACILITIES[facility] : "unknown";
  }

  public String severityName() {
    return severity >= 0 && severity < SEVERITIES.length ? SEVERITIES[severity] : "unknown";
  }
}
