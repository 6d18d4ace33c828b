package dev.vigil.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Vigil.class.getPackage().getImplementationVersion();
    return new String[] {"vigil " + (v != null ? v : "development build")};
  }
}
