package dev.vigil.power;

/**
 * Time source of the power manager. Every duration (idle time, uptime, backoff) is measured on
 * {@link #nanoTime()}, which never jumps; {@link #wallMillis()} is used only to show timestamps.
 */
public interface MonotonicClock {
  long nanoTime();

  long wallMillis();

  MonotonicClock SYSTEM =
      new MonotonicClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long wallMillis() {
          return System.currentTimeMillis();
        }
      };
}
