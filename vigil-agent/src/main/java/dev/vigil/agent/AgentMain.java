package dev.vigil.agent;

import picocli.CommandLine;

/** Entry point of the agent's container image and plain jar: {@code vigil agent} alone. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    AgentLogging.configure();
    System.exit(new CommandLine(new AgentCommand()).execute(args));
  }
}
