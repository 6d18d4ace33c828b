package dev.vigil.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.power.trigger.PathWatcher;
import dev.vigil.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watched paths with the real inotifywait, and the polling fallback's documented limits. */
class PathWatcherIT {
  @TempDir Path dir;

  @Test
  void inotifySeesAPureReadDeepInTheTree() throws Exception {
    Path inotifywait = Tools.require("inotifywait", "inotify-tools");
    Path movie = Files.createDirectories(dir.resolve("media/films")).resolve("film.mkv");
    Files.writeString(movie, "frames");
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    try (PathWatcher w =
        PathWatcher.start(
            List.of(dir.resolve("media")),
            Optional.of(inotifywait),
            Duration.ofSeconds(1),
            events::add)) {
      assertThat(w.mode()).isEqualTo("inotify");
      assertThat(events).isEmpty();
      assertThat(Files.readString(movie)).isEqualTo("frames");
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
      assertThat(events.get(0)).startsWith("inotify: " + movie + " ").contains("OPEN");
    }
  }

  @Test
  void inotifyOnAMissingPathIsAnErrorAtStart() {
    Path inotifywait = Tools.require("inotifywait", "inotify-tools");
    assertThatThrownBy(
            () ->
                PathWatcher.start(
                    List.of(dir.resolve("nope")),
                    Optional.of(inotifywait),
                    Duration.ofSeconds(1),
                    e -> {}))
        .hasMessageContaining("inotifywait failed");
  }

  @Test
  void pollingSeesNewAndChangedFilesButNotReads() throws Exception {
    Path movie = Files.createDirectories(dir.resolve("media")).resolve("film.mkv");
    Files.writeString(movie, "frames");
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    try (PathWatcher w =
        PathWatcher.start(
            List.of(dir.resolve("media")), Optional.empty(), Duration.ofMillis(200), events::add)) {
      assertThat(w.mode()).isEqualTo("poll");
      Files.readString(movie);
      Thread.sleep(700); // several polling rounds
      assertThat(events).as("reads are invisible to polling").isEmpty();
      Files.writeString(dir.resolve("media").resolve("new.mkv"), "x");
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    }
  }
}
