package dev.vigil.lint.rules;

/** Splits an image reference into registry, repository, tag and digest as Docker does. */
record ImageReference(String registry, String repository, String tag, String digest) {

  /**
   * The parsed reference, once per distinct image in a run: four rules read every container's
   * image, and a large input runs the same few images thousands of times.
   */
  static ImageReference of(dev.vigil.lint.Context ctx, String ref) {
    java.util.Map<String, ImageReference> parsed =
        ctx.memo("image-references", java.util.HashMap::new);
    ImageReference r = parsed.get(ref);
    if (r == null) {
      r = parse(ref);
      parsed.put(ref, r);
    }
    return r;
  }

  static ImageReference parse(String ref) {
    String rest = ref.trim();
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = "docker.io";
    int first = rest.indexOf('/');
    if (first > 0) {
      String head = rest.substring(0, first);
      if (head.contains(".") || head.contains(":") || head.equals("localhost")) {
        registry = head;
        rest = rest.substring(first + 1);
      }
    }
    if (registry.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return new ImageReference(registry, rest, tag, digest);
  }

  /** Last path segment of the repository: {@code prom/prometheus} gives {@code prometheus}. */
  String shortName() {
    int s = repository.lastIndexOf('/');
    return s < 0 ? repository : repository.substring(s + 1);
  }

  /** {@code registry/repository}, for matching against allowed prefixes. */
  String location() {
    return registry + "/" + repository;
  }
}
