package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WakeCoordinatorTest {
  @Test
  void aBurstOfTriggersBecomesOneWake() throws Exception {
    FakeClock clock = new FakeClock();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger wakes = new AtomicInteger();
    List<String> suppressed = Collections.synchronizedList(new ArrayList<>());
    WakeCoordinator.Listener l =
        new WakeCoordinator.Listener() {
          @Override
          public void suppressed(String node, String reason, WakeCoordinator.Admission why) {
            suppressed.add(why.name());
          }
        };
    try (WakeCoordinator c =
        new WakeCoordinator(
            (node, reason) -> {
              wakes.incrementAndGet();
              release.await();
              return new WakeCoordinator.Outcome(true, Duration.ofSeconds(3), "up");
            },
            l,
            clock,
            Duration.ofSeconds(30),
            Duration.ofMinutes(15))) {
      assertThat(c.request("storage", "syn")).isEqualTo(WakeCoordinator.Admission.STARTED);
      for (int i = 0; i < 100; i++) {
        assertThat(c.request("storage", "syn " + i)).isEqualTo(WakeCoordinator.Admission.IN_FLIGHT);
      }
      assertThat(c.request("homelab", "ssh")).isEqualTo(WakeCoordinator.Admission.STARTED);
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !c.inFlight("storage") && !c.inFlight("homelab"));
      assertThat(c.request("storage", "again")).isEqualTo(WakeCoordinator.Admission.BACKOFF);
      clock.advance(Duration.ofSeconds(31));
      assertThat(c.request("storage", "later")).isEqualTo(WakeCoordinator.Admission.STARTED);
      await().atMost(Duration.ofSeconds(5)).until(() -> !c.inFlight("storage"));
    }
    assertThat(wakes.get()).isEqualTo(3);
    assertThat(suppressed).hasSize(101);
  }

  @Test
  void backoffDoublesAfterEachFailureUpToTheCap() throws Exception {
    FakeClock clock = new FakeClock();
    AtomicBoolean up = new AtomicBoolean(false);
    try (WakeCoordinator c =
        new WakeCoordinator(
            (node, reason) ->
                new WakeCoordinator.Outcome(up.get(), Duration.ZERO, up.get() ? "up" : "no answer"),
            new WakeCoordinator.Listener() {},
            clock,
            Duration.ofSeconds(30),
            Duration.ofMinutes(2))) {
      long[] expectedPauses = {30, 60, 120, 120};
      for (long pause : expectedPauses) {
        assertThat(c.request("n", "t")).isEqualTo(WakeCoordinator.Admission.STARTED);
        await().atMost(Duration.ofSeconds(5)).until(() -> !c.inFlight("n"));
        assertThat(c.retryAfter("n")).isEqualTo(Duration.ofSeconds(pause));
        clock.advance(Duration.ofSeconds(pause - 1));
        assertThat(c.request("n", "t")).isEqualTo(WakeCoordinator.Admission.BACKOFF);
        clock.advance(Duration.ofSeconds(1));
      }
      up.set(true);
      c.request("n", "t");
      await().atMost(Duration.ofSeconds(5)).until(() -> !c.inFlight("n"));
      assertThat(c.retryAfter("n")).isEqualTo(Duration.ofSeconds(30));
    }
  }
}
