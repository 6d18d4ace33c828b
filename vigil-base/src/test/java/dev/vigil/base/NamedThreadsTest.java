package dev.vigil.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {
  @Test
  void threadsAreNamedDaemons() {
    ThreadFactory f = NamedThreads.daemon("vigil-test");
    Thread a = f.newThread(() -> {});
    Thread b = f.newThread(() -> {});
    assertThat(a.getName()).isEqualTo("vigil-test");
    assertThat(b.getName()).isEqualTo("vigil-test-2");
    assertThat(a.isDaemon()).isTrue();
    assertThat(b.isDaemon()).isTrue();
  }

  @Test
  void aNameIsRequired() {
    assertThatThrownBy(() -> NamedThreads.daemon(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
