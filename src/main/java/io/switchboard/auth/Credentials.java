package io.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Function;

/**
 * Who may call an endpoint: a key in a header, HTTP Basic credentials, or either when both are configured (ingest
 * accepts both, as an EventBridge connection offers both; the admin endpoints take their own key). Every comparison
 * is constant-time, and the secrets never leave this class.
 */
public final class Credentials {

  private static final String BASIC = "basic ";

  private final String apiKeyHeader;
  private final byte[] apiKey;
  /** {@code user:password} as UTF-8, what a Basic header carries in base64. */
  private final byte[] basic;

  /**
   * @param apiKey        expected key, or {@code null} for none
   * @param basicUser     expected Basic user, or {@code null} for no Basic authentication
   * @param basicPassword expected Basic password (required with a user)
   */
  public Credentials(String apiKeyHeader, String apiKey, String basicUser, String basicPassword) {
    this.apiKeyHeader = apiKeyHeader;
    this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
    if (basicUser != null && basicPassword == null) {
      throw new IllegalArgumentException("a Basic user needs a password");
    }
    this.basic = basicUser == null ? null : (basicUser + ":" + basicPassword).getBytes(StandardCharsets.UTF_8);
  }

  /** Whether any credential is required at all. */
  public boolean required() {
    return apiKey != null || basic != null;
  }

  public boolean basicEnabled() {
    return basic != null;
  }

  /** Whether the request's headers carry a configured credential; {@code header} looks one up by name. */
  public boolean accepts(Function<String, String> header) {
    if (!required()) {
      return true;
    }
    boolean accepted = false;
    if (apiKey != null) {
      String presented = header.apply(apiKeyHeader);
      accepted = presented != null && MessageDigest.isEqual(apiKey, presented.getBytes(StandardCharsets.UTF_8));
    }
    if (basic != null) {
      accepted |= basicMatches(header.apply("Authorization"));
    }
    return accepted;
  }

  /** What a refused sender is told: which ways in exist, never their values. */
  public String describe() {
    if (apiKey != null && basic != null) {
      return "the API key in header " + apiKeyHeader + " or HTTP Basic credentials";
    }
    return apiKey != null ? "the API key in header " + apiKeyHeader : "HTTP Basic credentials";
  }

  private boolean basicMatches(String authorization) {
    if (authorization == null || authorization.length() <= BASIC.length()
        || !authorization.substring(0, BASIC.length()).toLowerCase(Locale.ROOT).equals(BASIC)) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim());
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(basic, decoded);
  }

  /** Never print the secrets. */
  @Override
  public String toString() {
    return "Credentials[apiKey=" + (apiKey == null ? "off" : "***") + ", basic=" + (basic == null ? "off" : "***")
        + "]";
  }
}
