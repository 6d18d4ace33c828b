package dev.vigil.spec.syslog;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;

@Doc("Syslog gateway run by `vigil agent`: listeners, parsing, journal, archive and Loki output.")
public record SyslogSpec(@Doc("Run the syslog gateway.") @Default("true") boolean enabled) {}
