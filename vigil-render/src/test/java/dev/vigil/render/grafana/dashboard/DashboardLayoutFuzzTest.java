package dev.vigil.render.grafana.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random dashboards of random panel sizes keep the layout invariants: on the grid, no overlap,
 * nothing that Grafana's grid would float upwards, and every panel between its row header and the
 * next. The number of dashboards follows {@code vigil.fuzz.tries}.
 */
class DashboardLayoutFuzzTest {
  private static final int TRIES = Integer.getInteger("vigil.fuzz.tries", 2000);

  @Test
  void randomLayoutsKeepTheGridInvariants() {
    Random random = new Random(20261122L);
    for (int t = 0; t < TRIES; t++) {
      long seed = random.nextLong();
      String problem = problem(randomDashboard(new Random(seed)));
      if (problem != null) {
        fail("layout of the dashboard from seed " + seed + ": " + problem);
      }
    }
  }

  @Test
  void theCheckerSeesAnOverlap() {
    List<GridPos> overlapping = List.of(new GridPos(0, 0, 12, 4), new GridPos(6, 2, 12, 4));
    assertThat(overlap(overlapping)).isNotNull();
    assertThat(overlap(List.of(new GridPos(0, 0, 12, 4), new GridPos(12, 0, 12, 4)))).isNull();
  }

  /** The first broken invariant, or null; messages are built only on failure. */
  private static String problem(Dashboard d) {
    List<GridPos> taken = new ArrayList<>();
    d.rows().forEach(r -> taken.add(r.pos()));
    d.panels().forEach(p -> taken.add(p.pos()));
    String overlap = overlap(taken);
    if (overlap != null) {
      return overlap;
    }
    for (Dashboard.Placed p : d.panels()) {
      GridPos pos = p.pos();
      if (pos.w() != p.panel().width() || pos.h() != p.panel().height()) {
        return p.panel() + " placed as " + pos;
      }
      if (pos.y() > 0) {
        GridPos above = new GridPos(pos.x(), pos.y() - 1, pos.w(), 1);
        boolean supported = false;
        for (GridPos o : taken) {
          supported |= o.overlaps(above);
        }
        if (!supported) {
          return "free space above " + pos;
        }
      }
      int rowY = -1;
      int nextRowY = Integer.MAX_VALUE;
      for (Dashboard.PlacedRow r : d.rows()) {
        if (r.id() < p.id()) {
          rowY = r.pos().y();
        } else {
          nextRowY = Math.min(nextRowY, r.pos().y());
        }
      }
      if (pos.y() <= rowY || pos.y() + pos.h() > nextRowY) {
        return pos + " is outside its row (" + rowY + ".." + nextRowY + ")";
      }
    }
    return null;
  }

  private static String overlap(List<GridPos> taken) {
    for (int i = 0; i < taken.size(); i++) {
      for (int j = i + 1; j < taken.size(); j++) {
        if (taken.get(i).overlaps(taken.get(j))) {
          return taken.get(i) + " overlaps " + taken.get(j);
        }
      }
    }
    return null;
  }

  private static Dashboard randomDashboard(Random r) {
    Dashboard.Builder b = Dashboard.builder("fuzz", "Fuzz");
    int n = 0;
    if (r.nextBoolean()) {
      b.panels(randomPanels(r, n));
      n += 100;
    }
    int rows = 1 + r.nextInt(4);
    for (int i = 0; i < rows; i++) {
      b.row("row " + i, randomPanels(r, n));
      n += 100;
    }
    return b.build();
  }

  private static Panel.Builder[] randomPanels(Random r, int firstId) {
    int count = 1 + r.nextInt(12);
    Panel.Builder[] panels = new Panel.Builder[count];
    for (int i = 0; i < count; i++) {
      panels[i] =
          Panel.timeseries("p" + (firstId + i))
              .target(Target.prometheus("up"))
              .size(1 + r.nextInt(Panel.GRID_COLUMNS), 1 + r.nextInt(12));
    }
    return panels;
  }
}
