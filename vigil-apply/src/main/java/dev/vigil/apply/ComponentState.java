package dev.vigil.apply;

import java.time.Duration;

/**
 * Where one component stands while a deploy waits: ready or not, how many of its pods (or nodes)
 * are ready, what it waits for, and when it became ready.
 *
 * @param readyAfter time from the start of the wait until it was ready, or null
 */
public record ComponentState(
    String component,
    boolean ready,
    boolean failed,
    int done,
    int total,
    String detail,
    Duration readyAfter) {
  public String state() {
    return failed ? "failed" : ready ? "ready" : "waiting";
  }
}
