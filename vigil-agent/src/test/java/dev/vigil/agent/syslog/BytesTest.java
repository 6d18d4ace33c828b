package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The word-at-a-time search finds what a byte-by-byte one finds, in every range. */
class BytesTest {
  @Property
  void indexOfAsAPlainLoop(
      @ForAll @Size(max = 80) byte[] b,
      @ForAll @IntRange(min = 0, max = 80) int from,
      @ForAll @IntRange(min = 0, max = 80) int to,
      @ForAll byte value) {
    from = Math.min(from, b.length);
    to = Math.max(from, Math.min(to, b.length));
    int expected = -1;
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        expected = i;
        break;
      }
    }
    assertThat(Bytes.indexOf(b, from, to, value)).isEqualTo(expected);
  }

  @Property
  void aLineEndAnywhereInALongLine(
      @ForAll @IntRange(min = 0, max = 199) int at, @ForAll @IntRange(min = 0, max = 7) int from) {
    byte[] b = new byte[200];
    java.util.Arrays.fill(b, (byte) 'x');
    // Bytes that differ from '\n' by one bit, and 0x0b (just above it), around it.
    b[Math.max(0, at - 1)] = 0x0b;
    b[at] = '\n';
    assertThat(Bytes.indexOf(b, Math.min(from, at), 200, (byte) '\n')).isEqualTo(at);
    assertThat(Bytes.indexOf(b, at + 1, 200, (byte) '\n')).isEqualTo(-1);
  }
}
