package dev.vigil.power;

import dev.vigil.power.trigger.PortHolder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The service ports the controller listens on for sleeping nodes, by node: opened when a node is
 * seen asleep, closed as soon as it answers again.
 */
final class HeldPorts {
  private final Map<String, List<PortHolder>> held = new HashMap<>();
  private final BiConsumer<String, String> onAttempt;
  private final Consumer<String> decide;

  /**
   * @param onAttempt receives the node and a description of each connection to a held port
   * @param decide receives each decision as one line
   */
  HeldPorts(BiConsumer<String, String> onAttempt, Consumer<String> decide) {
    this.onAttempt = onAttempt;
    this.decide = decide;
  }

  /** Starts holding {@code ports} for {@code node}, unless they are held already. */
  synchronized void hold(String node, String address, Set<Integer> ports) {
    if (held.containsKey(node)) {
      return;
    }
    List<PortHolder> hs = new ArrayList<>();
    for (int port : ports) {
      try {
        hs.add(PortHolder.open(address, port, why -> onAttempt.accept(node, why)));
      } catch (IOException e) {
        decide.accept(node + ": " + e.getMessage());
      }
    }
    held.put(node, hs);
    decide.accept(
        node
            + ": holding ports "
            + hs.stream().map(PortHolder::port).toList()
            + " while it sleeps");
  }

  synchronized void release(String node) {
    List<PortHolder> hs = held.remove(node);
    if (hs != null) {
      for (PortHolder h : hs) {
        try {
          h.close();
        } catch (IOException ignored) {
          // Closing a listener cannot fail in a way worth reporting.
        }
      }
      decide.accept(node + ": released held ports");
    }
  }

  synchronized List<Integer> ports(String node) {
    return held.getOrDefault(node, List.of()).stream().map(PortHolder::port).toList();
  }

  synchronized void releaseAll() {
    new ArrayList<>(held.keySet()).forEach(this::release);
  }
}
