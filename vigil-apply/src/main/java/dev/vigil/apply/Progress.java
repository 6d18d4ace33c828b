package dev.vigil.apply;

import java.time.Duration;
import java.util.List;

/** Shows a deploy's wait as it goes: redrawn in place on a terminal, line by line elsewhere. */
public interface Progress {
  void update(List<ComponentState> states, Duration elapsed);

  void finish(List<ComponentState> states, Duration elapsed);

  Progress NONE =
      new Progress() {
        @Override
        public void update(List<ComponentState> states, Duration elapsed) {}

        @Override
        public void finish(List<ComponentState> states, Duration elapsed) {}
      };
}
