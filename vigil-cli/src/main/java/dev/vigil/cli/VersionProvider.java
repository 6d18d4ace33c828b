package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code vigil --version}: the release, the commit it was built from, and the Java runtime that
 * runs it (the distribution's launcher picks one; this says which).
 */
final class VersionProvider implements IVersionProvider {
  static final String RESOURCE = "/dev/vigil/cli/build.properties";

  /** What the build stamped: release and commit. */
  record BuildInfo(String version, String commit) {
    /** {@code 0.1.0 (commit 0123456789ab)}, or {@code 0.1.0 (commit unknown)}. */
    String describe() {
      return version + " (commit " + commit + ")";
    }

    static BuildInfo from(Properties p) {
      return new BuildInfo(
          stamped(p.getProperty("version"), "development build"),
          stamped(p.getProperty("commit"), "unknown"));
    }

    /**
     * A value the build filled in; an unfilled placeholder (the class run without the build's
     * resource filtering) or an empty one counts as unknown.
     */
    private static String stamped(String value, String unknown) {
      return value == null || value.isBlank() || value.contains("${") ? unknown : value.strip();
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "vigil " + buildInfo().describe(),
      "Java "
          + System.getProperty("java.version")
          + " ("
          + System.getProperty("java.vendor")
          + ", "
          + System.getProperty("java.home")
          + ")"
    };
  }

  /** The release the build stamped, e.g. for SARIF's tool version. */
  static String version() {
    return buildInfo().version();
  }

  static BuildInfo buildInfo() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // An unreadable stamp is an unknown version, not a failed command.
    }
    return BuildInfo.from(p);
  }
}
