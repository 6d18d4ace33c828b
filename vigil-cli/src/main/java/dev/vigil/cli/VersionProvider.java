package dev.vigil.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"vigil " + version()};
  }

  /** The version the build stamped into the jar, or "development build" when run from classes. */
  static String version() {
    String v = Vigil.class.getPackage().getImplementationVersion();
    return v != null ? v : "development build";
  }
}
