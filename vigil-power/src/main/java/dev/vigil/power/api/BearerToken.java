package dev.vigil.power.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} (RFC 6750) against the configured token. The scheme
 * name is case-insensitive (RFC 7235 section 2.1); the token is compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken depends neither on where the first difference is
 * nor on the token's length.
 */
public final class BearerToken {
  /** The outcome of one check. */
  public enum Check {
    ACCEPTED,
    /** No token is configured: every request is refused. */
    NOT_CONFIGURED,
    /** No Authorization header, or one with another scheme. */
    MISSING,
    /** A bearer token that is not the configured one (or several Authorization headers). */
    WRONG
  }

  private final byte[] digest;

  private BearerToken(byte[] digest) {
    this.digest = digest;
  }

  public static BearerToken of(Optional<String> token) {
    return new BearerToken(token.map(BearerToken::sha256).orElse(null));
  }

  public Check check(List<String> authorization) {
    if (digest == null) {
      return Check.NOT_CONFIGURED;
    }
    if (authorization.isEmpty()) {
      return Check.MISSING;
    }
    if (authorization.size() > 1) {
      return Check.WRONG;
    }
    Optional<String> given = credentials(authorization.get(0));
    if (given.isEmpty()) {
      return Check.MISSING;
    }
    return MessageDigest.isEqual(digest, sha256(given.get())) ? Check.ACCEPTED : Check.WRONG;
  }

  /** The token of a Bearer credential: scheme, one or more spaces, token (RFC 7235 2.1). */
  static Optional<String> credentials(String header) {
    String h = header.strip();
    int space = h.indexOf(' ');
    if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return Optional.empty();
    }
    return Optional.of(h.substring(space + 1).strip());
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
