package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.AgentLogging;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** fabric8 logs through SLF4J: its records reach java.util.logging and the agent's logfmt lines. */
class Slf4jRoutingTest {
  @Test
  void slf4jRecordsArePrintedByTheAgentsLogfmtFormatter() {
    List<String> lines = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          private final AgentLogging.Logfmt logfmt = new AgentLogging.Logfmt();

          @Override
          public void publish(LogRecord r) {
            lines.add(logfmt.format(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger jul = Logger.getLogger("io.fabric8.kubernetes.client.Watcher");
    jul.addHandler(capture);
    try {
      LoggerFactory.getLogger("io.fabric8.kubernetes.client.Watcher")
          .warn("watch closed: {}", "410 Gone");
    } finally {
      jul.removeHandler(capture);
    }
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
    assertThat(lines)
        .singleElement()
        .asString()
        .contains(" level=warn logger=Watcher msg=\"watch closed: 410 Gone\"");
  }
}
