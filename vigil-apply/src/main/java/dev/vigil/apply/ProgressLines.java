package dev.vigil.apply;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two ways a wait is shown. On a terminal a block of one line per component is redrawn in
 * place, with a bar where the count is known; elsewhere (a pipe, a CI log) a line is written only
 * when a component's state changes, so the log reads as a history.
 */
public final class ProgressLines {
  private static final int BAR = 12;

  private ProgressLines() {}

  /** A line per component, redrawn with ANSI cursor movement. */
  public static Progress terminal(PrintWriter out, int width) {
    return new Progress() {
      private int drawn;

      @Override
      public void update(List<ComponentState> states, Duration elapsed) {
        draw(states, elapsed, false);
      }

      @Override
      public void finish(List<ComponentState> states, Duration elapsed) {
        draw(states, elapsed, true);
      }

      private void draw(List<ComponentState> states, Duration elapsed, boolean last) {
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) {
          sb.append("\033[").append(drawn).append('A');
        }
        int nameWidth = nameWidth(states);
        for (ComponentState s : states) {
          sb.append("\033[2K\r").append(fit(line(s, nameWidth, true), width)).append('\n');
        }
        sb.append("\033[2K\r").append(fit(footer(states, elapsed, last), width)).append('\n');
        drawn = states.size() + 1;
        out.print(sb);
        out.flush();
      }
    };
  }

  /** A line each time a component's state changes. */
  public static Progress plain(PrintWriter out) {
    return new Progress() {
      private final Map<String, String> last = new HashMap<>();

      @Override
      public void update(List<ComponentState> states, Duration elapsed) {
        for (ComponentState s : states) {
          String text = plainLine(s);
          if (!text.equals(last.put(s.component(), text))) {
            out.println("[" + clock(elapsed) + "] " + text);
          }
        }
        out.flush();
      }

      @Override
      public void finish(List<ComponentState> states, Duration elapsed) {
        update(states, elapsed);
      }
    };
  }

  /** "prometheus: waiting, 0/1 — StatefulSet prometheus: 0 of 1 pods ready" */
  static String plainLine(ComponentState s) {
    StringBuilder sb = new StringBuilder(s.component()).append(": ").append(s.state());
    if (s.total() > 0) {
      sb.append(' ').append(s.done()).append('/').append(s.total());
    }
    if (s.ready() && s.readyAfter() != null) {
      sb.append(" after ").append(clock(s.readyAfter()));
    }
    if (!s.detail().isEmpty()) {
      sb.append(" - ").append(s.detail());
    }
    return sb.toString();
  }

  static int nameWidth(List<ComponentState> states) {
    return states.stream().mapToInt(s -> s.component().length()).max().orElse(0);
  }

  /** "prometheus [====== ] 1/2 waiting StatefulSet prometheus: ..." */
  static String line(ComponentState s, int nameWidth, boolean bar) {
    StringBuilder sb = new StringBuilder("  ");
    sb.append(String.format(Locale.ROOT, "%-" + Math.max(1, nameWidth) + "s", s.component()))
        .append("  ");
    if (bar) {
      sb.append(bar(s)).append(' ');
    }
    if (s.total() > 0) {
      sb.append(s.done()).append('/').append(s.total()).append("  ");
    }
    sb.append(s.state());
    if (s.ready() && s.readyAfter() != null) {
      sb.append(" after ").append(clock(s.readyAfter()));
    }
    if (!s.detail().isEmpty()) {
      sb.append("  ").append(s.detail());
    }
    return sb.toString();
  }

  static String bar(ComponentState s) {
    if (s.total() <= 0) {
      return s.ready() ? "[" + "=".repeat(BAR) + "]" : "[" + " ".repeat(BAR) + "]";
    }
    int filled = (int) Math.round((double) BAR * Math.min(s.done(), s.total()) / s.total());
    return "[" + "=".repeat(filled) + " ".repeat(BAR - filled) + "]";
  }

  private static String footer(List<ComponentState> states, Duration elapsed, boolean last) {
    long ready = states.stream().filter(ComponentState::ready).count();
    return "  "
        + ready
        + " of "
        + states.size()
        + " components ready, "
        + clock(elapsed)
        + (last ? "" : " elapsed");
  }

  static String clock(Duration d) {
    long s = d.toSeconds();
    return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }

  private static String fit(String line, int width) {
    return width > 10 && line.length() > width ? line.substring(0, width - 1) + "…" : line;
  }
}
