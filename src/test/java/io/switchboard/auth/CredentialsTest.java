package io.switchboard.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsTest {

  private static String basic(String userPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean accepts(Credentials credentials, Map<String, String> headers) {
    return credentials.accepts(headers::get);
  }

  @Test
  void verifiesThatWithoutCredentialsEveryRequestIsAccepted() {
    Credentials none = new Credentials("x-api-key", null, null, null);
    assertFalse(none.required());
    assertTrue(accepts(none, Map.of()));
  }

  @Test
  void verifiesThatAnApiKeyMustMatchExactlyInItsHeader() {
    Credentials key = new Credentials("x-api-key", "s3cret", null, null);
    assertTrue(accepts(key, Map.of("x-api-key", "s3cret")));
    assertFalse(accepts(key, Map.of("x-api-key", "s3cret ")));
    assertFalse(accepts(key, Map.of("x-other", "s3cret")));
    assertFalse(accepts(key, Map.of("Authorization", basic("any:s3cret"))), "Basic is not configured");
  }

  @Test
  void verifiesThatBasicCredentialsMustMatchUserAndPassword() {
    Credentials basic = new Credentials("x-api-key", null, "eventbridge", "pä55:word");
    assertTrue(accepts(basic, Map.of("Authorization", basic("eventbridge:pä55:word"))), "a password may hold ':'");
    assertTrue(accepts(basic, Map.of("Authorization", basic("eventbridge:pä55:word").replace("Basic", "basic"))),
        "the scheme is case-insensitive");
    assertFalse(accepts(basic, Map.of("Authorization", basic("eventbridge:wrong"))));
    assertFalse(accepts(basic, Map.of("Authorization", basic("other:pä55:word"))));
    assertFalse(accepts(basic, Map.of("Authorization", "Basic not-base64!")));
    assertFalse(accepts(basic, Map.of("Authorization", "Bearer abc")));
    assertFalse(accepts(basic, Map.of()));
  }

  @Test
  void verifiesThatWithBothConfiguredEitherIsEnough() {
    Credentials both = new Credentials("x-api-key", "s3cret", "eventbridge", "pw");
    assertTrue(accepts(both, Map.of("x-api-key", "s3cret")));
    assertTrue(accepts(both, Map.of("Authorization", basic("eventbridge:pw"))));
    assertFalse(accepts(both, Map.of("x-api-key", "nope", "Authorization", basic("eventbridge:nope"))));
  }

  @Test
  void verifiesThatSecretsNeverAppearInItsTextAndAUserNeedsAPassword() {
    Credentials both = new Credentials("x-api-key", "s3cret", "eventbridge", "pw-value");
    assertFalse(both.toString().contains("s3cret") || both.toString().contains("pw-value"), both.toString());
    assertFalse(both.describe().contains("s3cret") || both.describe().contains("pw-value"), both.describe());
    assertThrows(IllegalArgumentException.class, () -> new Credentials("x-api-key", null, "u", null));
  }
}
