package dev.vigil.lint.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether an environment variable, ConfigMap key or configuration key names a credential. The name
 * is split into words (at {@code _ - .} and camelCase humps) and read as operators write such names
 * for the large clouds, CI systems and SaaS APIs: a word ending in PASSWORD, SECRET, TOKEN,
 * CREDENTIALS, PASSPHRASE; a last word KEY (unless a public, sort, partition... key) or KEY
 * followed by CONTENT/DATA/PEM...; PASS, PWD, PAT, COOKIE, SALT as the last word; a connection
 * string; a webhook URL. Names that point at a secret rather than hold it (…_FILE, …_PATH, …_ID,
 * …_URL, …_NAME, …_TTL, ...) are not credentials.
 */
final class SecretNames {
  private SecretNames() {}

  /** Word endings that make a name a credential wherever the word stands. */
  private static final List<String> CREDENTIAL_WORD_ENDINGS =
      List.of(
          "PASSWORD",
          "PASSWD",
          "PASSPHRASE",
          "SECRET",
          "SECRETS",
          "TOKEN",
          "CREDENTIAL",
          "CREDENTIALS",
          "APIKEY",
          "PRIVATEKEY",
          "ACCESSKEY",
          "SECRETKEY",
          "ACCOUNTKEY",
          "AUTHKEY");

  /** Last words that make a name a credential. */
  private static final Set<String> CREDENTIAL_LAST_WORDS =
      Set.of("PASS", "PWD", "PW", "PAT", "COOKIE", "SALT", "PSK", "WEBHOOK", "WEBHOOKURL");

  /**
   * Whole names whose words say nothing alone: AUTH is as often a mode (clientAuth: require) as a
   * credential, so only the names documented to hold one count.
   */
  private static final Set<String> KNOWN_CREDENTIALS =
      Set.of(
          "REDISCLI_AUTH",
          "NEO4J_AUTH",
          "DOCKER_AUTH_CONFIG",
          "NPM_CONFIG__AUTH",
          "NPM_CONFIG_AUTH");

  /** KEY followed by one of these still holds the key itself (OCI_CLI_KEY_CONTENT). */
  private static final Set<String> KEY_CONTENT =
      Set.of(
          "CONTENT",
          "CONTENTS",
          "DATA",
          "MATERIAL",
          "PEM",
          "B64",
          "BASE64",
          "VALUE",
          "JSON",
          "STRING",
          "TEXT");

  /** KEY after one of these is not a credential (PUBLIC_KEY, SORT_KEY, RECAPTCHA_SITE_KEY). */
  private static final Set<String> HARMLESS_KEYS =
      Set.of(
          "PUBLIC",
          "PUB",
          "PUBLISHABLE",
          "SITE",
          "SORT",
          "PARTITION",
          "PRIMARY",
          "FOREIGN",
          "CACHE",
          "LABEL",
          "TOPOLOGY",
          "IDEMPOTENCY",
          "OBJECT",
          "GROUP",
          "SHARD",
          "LOOKUP",
          "MAP",
          "HOT",
          "ENTRY",
          "DEDUP",
          "DEDUPLICATION",
          "RATE",
          "ROW",
          "INDEX",
          "HASH",
          "CONFIG",
          "TENANT",
          "MATCH",
          "SELECTOR",
          "FIELD",
          "METRIC",
          "LOG",
          "STREAM",
          "SHARDING",
          "NODE");

  /** Last words of names that point at a credential, or describe one, without holding it. */
  private static final Set<String> REFERENCE_LAST_WORDS =
      Set.of(
          "FILE",
          "FILES",
          "PATH",
          "DIR",
          "DIRECTORY",
          "NAME",
          "ID",
          "IDS",
          "ARN",
          "URL",
          "URI",
          "ENDPOINT",
          "HOST",
          "PORT",
          "ENABLED",
          "ENABLE",
          "DISABLED",
          "DISABLE",
          "TTL",
          "EXPIRY",
          "EXPIRES",
          "EXPIRATION",
          "LIFETIME",
          "TIMEOUT",
          "LENGTH",
          "SIZE",
          "MIN",
          "MAX",
          "HEADER",
          "TYPE",
          "REF",
          "MOUNT",
          "PREFIX",
          "SUFFIX",
          "FORMAT",
          "ALGORITHM",
          "ALG",
          "FIELD",
          "PARAM",
          "VERSION",
          "ROTATION",
          "INTERVAL",
          "COUNT",
          "LIMIT",
          "POLICY",
          "MODE",
          "LOCATION",
          "FINGERPRINT",
          "REGION",
          "USER",
          "USERNAME",
          "EMAIL",
          "SCOPE",
          "SCOPES",
          "AUDIENCE",
          "ISSUER",
          "PROVIDER",
          "SOURCE",
          "KIND",
          "STRATEGY",
          "REQUIRED",
          "CHARS",
          "COMPLEXITY",
          "HISTORY",
          "RESET",
          "REFRESH",
          "SECONDS",
          "DAYS",
          "HOURS",
          "MINUTES");

  /** Whole names that look like credentials but are not (the working directory, file paths). */
  private static final Set<String> NOT_CREDENTIALS =
      Set.of("PWD", "OLDPWD", "GOOGLE_APPLICATION_CREDENTIALS", "KUBECONFIG", "KEY", "TOKEN_AUTH");

  static boolean secret(String name) {
    if (name == null || name.isEmpty() || NOT_CREDENTIALS.contains(name.toUpperCase(Locale.ROOT))) {
      return false;
    }
    if (KNOWN_CREDENTIALS.contains(name.toUpperCase(Locale.ROOT))) {
      return true;
    }
    List<String> w = words(name);
    if (w.isEmpty()) {
      return false;
    }
    String last = w.get(w.size() - 1);
    // Webhook URLs carry their secret in the path (Slack, Discord, Teams).
    if (last.equals("URL") && w.size() > 1 && w.get(w.size() - 2).equals("WEBHOOK")) {
      return true;
    }
    if (REFERENCE_LAST_WORDS.contains(last)) {
      return false;
    }
    for (String word : w) {
      for (String end : CREDENTIAL_WORD_ENDINGS) {
        if (word.endsWith(end)) {
          return true;
        }
      }
    }
    if (CREDENTIAL_LAST_WORDS.contains(last)) {
      return true;
    }
    for (int i = 0; i + 1 < w.size(); i++) {
      if (w.get(i).equals("CONNECTION") && w.get(i + 1).equals("STRING")) {
        return true;
      }
    }
    int key = w.lastIndexOf("KEY");
    if (key >= 0 && (key == w.size() - 1 || KEY_CONTENT.contains(w.get(key + 1)))) {
      return key > 0 && !HARMLESS_KEYS.contains(w.get(key - 1));
    }
    return false;
  }

  /** Upper-case words of a name: split at non-alphanumerics and at lower-to-upper humps. */
  static List<String> words(String name) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(cur, out);
        continue;
      }
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(name.charAt(i - 1))) {
        flush(cur, out);
      }
      cur.append(Character.toUpperCase(c));
    }
    flush(cur, out);
    return out;
  }

  private static void flush(StringBuilder cur, List<String> out) {
    if (cur.length() > 0) {
      out.add(cur.toString());
      cur.setLength(0);
    }
  }
}
