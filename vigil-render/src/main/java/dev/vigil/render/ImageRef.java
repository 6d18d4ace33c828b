package dev.vigil.render;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One image a component runs, by the name the spec and docs use for it ({@code prometheus}, {@code
 * config-reloader}), with its pinned reference. The contract of the image, what that exact version
 * does, is kept under {@code contracts/<name>.yaml}.
 */
public record ImageRef(String name, String reference) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public ImageRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(reference, "reference");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("image name must be kebab-case: " + name);
    }
    if (!pinned(reference)) {
      throw new IllegalArgumentException(
          name + ": image must be pinned to a tag or digest, got " + reference);
    }
  }

  /** Whether a reference names a fixed tag (not {@code latest}) or a digest. */
  public static boolean pinned(String reference) {
    if (reference.contains("@sha256:")) {
      return true;
    }
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') && !reference.endsWith(":latest");
  }

  /** The repository without tag or digest ({@code quay.io/prometheus/prometheus}). */
  public static String repository(String reference) {
    int at = reference.indexOf('@');
    String r = at >= 0 ? reference.substring(0, at) : reference;
    int colon = r.lastIndexOf(':');
    return colon > r.lastIndexOf('/') ? r.substring(0, colon) : r;
  }

  /** The tag (or digest) part of an image reference. */
  public static String version(String reference) {
    int at = reference.indexOf('@');
    if (at >= 0) {
      return reference.substring(at + 1);
    }
    int colon = reference.lastIndexOf(':');
    int slash = reference.lastIndexOf('/');
    return colon > slash ? reference.substring(colon + 1) : "latest";
  }
}
