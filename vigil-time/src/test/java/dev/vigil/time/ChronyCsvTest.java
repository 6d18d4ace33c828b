package dev.vigil.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixtures are output of chronyc 4.3 against chronyd 4.3 started on loopback. */
class ChronyCsvTest {
  static final String TRACKING_LOCAL =
      "7F7F0101,,8,1795319787.494891474,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,"
          + "0.000000000,0.000000000,0.0,Normal\n";
  static final String TRACKING_CLIENT =
      "7F000001,127.0.0.1,9,1795319797.679065376,-0.000001512,0.000000485,0.000001510,-0.172,"
          + "0.022,0.946,0.000005447,0.000004617,1.0,Normal\n";
  static final String SOURCES =
      "^,*,127.0.0.1,8,0,377,1,0.000001006,0.000001491,0.000004747\n"
          + "^,?,127.0.0.2,0,6,0,4294967295,0.000000000,0.000000000,0.000000000\n";

  @Test
  void parsesLocalStratumTracking() {
    ChronyTracking t = ChronyCsv.parseTracking(TRACKING_LOCAL);
    assertThat(t.referenceId()).isEqualTo(ChronyTracking.LOCAL_REFERENCE_ID);
    assertThat(t.stratum()).isEqualTo(8);
    assertThat(t.synchronised()).isTrue();
    assertThat(t.remoteReference()).isFalse();
  }

  @Test
  void parsesClientTracking() {
    ChronyTracking t = ChronyCsv.parseTracking(TRACKING_CLIENT);
    assertThat(t.referenceName()).isEqualTo("127.0.0.1");
    assertThat(t.stratum()).isEqualTo(9);
    assertThat(t.systemTimeSeconds()).isEqualTo(-0.000001512);
    assertThat(t.lastOffsetSeconds()).isEqualTo(0.000000485);
    assertThat(t.frequencyPpm()).isEqualTo(-0.172);
    assertThat(t.rootDelaySeconds()).isEqualTo(0.000005447);
    assertThat(t.updateIntervalSeconds()).isEqualTo(1.0);
    assertThat(t.leap()).isEqualTo(LeapIndicator.NONE);
    assertThat(t.remoteReference()).isTrue();
  }

  @Test
  void unsynchronisedTrackingIsNotSynchronised() {
    ChronyTracking t =
        ChronyCsv.parseTracking(
            "00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,"
                + "1.000000000,1.000000000,0.0,Not synchronised");
    assertThat(t.synchronised()).isFalse();
    assertThat(t.leap()).isEqualTo(LeapIndicator.UNSYNCHRONISED);
  }

  @Test
  void parsesSources() {
    List<ChronySource> s = ChronyCsv.parseSources(SOURCES);
    assertThat(s).hasSize(2);
    ChronySource a = s.get(0);
    assertThat(a.mode()).isEqualTo(ChronySource.Mode.SERVER);
    assertThat(a.state()).isEqualTo(ChronySource.State.SELECTED);
    assertThat(a.reachRegister()).isEqualTo(0377);
    assertThat(a.reachabilityRatio()).isEqualTo(1.0);
    assertThat(a.lastPollAnswered()).isTrue();
    assertThat(a.lastRxSeconds()).isEqualTo(1);
    assertThat(a.errorSeconds()).isEqualTo(0.000004747);
    ChronySource b = s.get(1);
    assertThat(b.state()).isEqualTo(ChronySource.State.UNREACHABLE);
    assertThat(b.reachable()).isFalse();
    assertThat(b.lastRxSeconds()).isEqualTo(-1);
    assertThat(b.pollSeconds()).isEqualTo(64);
  }

  @Test
  void reachRegisterIsOctal() {
    ChronySource s = ChronyCsv.parseSources("^,+,10.0.0.1,2,6,17,30,0.001,0.001,0.01").get(0);
    assertThat(s.reachRegister()).isEqualTo(15);
    assertThat(s.reachabilityRatio()).isEqualTo(0.5);
  }

  @Test
  void emptySourcesAreAnEmptyList() {
    assertThat(ChronyCsv.parseSources("")).isEmpty();
  }

  @Test
  void errorsNameLineAndField() {
    assertThatThrownBy(() -> ChronyCsv.parseTracking("506 Cannot talk to daemon"))
        .hasMessageContaining("chronyc tracking line 1: expected 14 comma-separated fields, got 1");
    assertThatThrownBy(() -> ChronyCsv.parseTracking(TRACKING_LOCAL.replace(",8,", ",x,")))
        .hasMessageContaining("stratum is not an integer: 'x'");
    assertThatThrownBy(() -> ChronyCsv.parseTracking(TRACKING_LOCAL.replace("Normal", "Weird")))
        .hasMessageContaining("unknown leap status 'Weird'");
    assertThatThrownBy(() -> ChronyCsv.parseSources(SOURCES.replace(",377,", ",389,")))
        .hasMessageContaining("chronyc sources line 1: reach is not an 8-bit octal value: '389'");
    assertThatThrownBy(() -> ChronyCsv.parseSources(SOURCES.replace("^,?", "!,?")))
        .hasMessageContaining("chronyc sources line 2: unknown source mode '!'");
    assertThatThrownBy(() -> ChronyCsv.parseTracking("")).hasMessageContaining("empty output");
  }

  @Test
  void randomGarbageNeverEscapesAsAnythingButIllegalArgument() {
    java.util.Random r = new java.util.Random(3);
    int tries = Integer.getInteger("vigil.fuzz.tries", 2000);
    String alphabet = "0123456789,.-^*?+x~#=ANormal \n";
    for (int i = 0; i < tries; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(120);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String s = sb.toString();
      try {
        ChronyCsv.parseSources(s);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).startsWith("chronyc sources line");
      }
      try {
        ChronyCsv.parseTracking(s);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).startsWith("chronyc tracking");
      }
    }
  }
}
