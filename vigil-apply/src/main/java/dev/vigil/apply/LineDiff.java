package dev.vigil.apply;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts by lines (longest common subsequence), as diff -u prints it. */
public final class LineDiff {
  private static final int CONTEXT = 3;

  private LineDiff() {}

  /** The hunks, or "" when the texts are equal. */
  public static String unified(String before, String after, String fromLabel, String toLabel) {
    List<String> a = before.isEmpty() ? List.of() : List.of(before.split("\n", -1));
    List<String> b = after.isEmpty() ? List.of() : List.of(after.split("\n", -1));
    a = dropTrailingEmpty(a);
    b = dropTrailingEmpty(b);
    List<int[]> ops = script(a, b);
    boolean changed = ops.stream().anyMatch(o -> o[0] != 0);
    if (!changed) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(fromLabel).append('\n').append("+++ ").append(toLabel).append('\n');
    int i = 0;
    while (i < ops.size()) {
      if (ops.get(i)[0] == 0) {
        i++;
        continue;
      }
      int start = Math.max(0, i - CONTEXT);
      int end = i;
      int lastChange = i;
      while (end < ops.size()) {
        if (ops.get(end)[0] != 0) {
          lastChange = end;
        } else if (end - lastChange > 2 * CONTEXT) {
          break;
        }
        end++;
      }
      end = Math.min(ops.size(), lastChange + CONTEXT + 1);
      int aStart = ops.get(start)[1];
      int bStart = ops.get(start)[2];
      int aCount = 0;
      int bCount = 0;
      StringBuilder body = new StringBuilder();
      for (int k = start; k < end; k++) {
        int[] op = ops.get(k);
        switch (op[0]) {
          case 0 -> {
            body.append(' ').append(a.get(op[1])).append('\n');
            aCount++;
            bCount++;
          }
          case -1 -> {
            body.append('-').append(a.get(op[1])).append('\n');
            aCount++;
          }
          default -> {
            body.append('+').append(b.get(op[2])).append('\n');
            bCount++;
          }
        }
      }
      out.append("@@ -")
          .append(range(aStart, aCount))
          .append(" +")
          .append(range(bStart, bCount))
          .append(" @@\n");
      out.append(body);
      i = end;
    }
    return out.toString();
  }

  private static String range(int start, int count) {
    return count == 0 ? start + ",0" : (start + 1) + "," + count;
  }

  private static List<String> dropTrailingEmpty(List<String> l) {
    if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
      return l.subList(0, l.size() - 1);
    }
    return l;
  }

  /**
   * Edit script: {op, aIndex, bIndex} with op 0 keep, -1 delete, +1 insert; indexes are the
   * positions before the op applies (for inserts aIndex is where it lands in a).
   */
  private static List<int[]> script(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<int[]> ops = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(new int[] {0, i++, j++});
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add(new int[] {-1, i++, j});
      } else {
        ops.add(new int[] {1, i, j++});
      }
    }
    return ops;
  }
}
