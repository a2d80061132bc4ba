package io.switchboard.it.genesys;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * OAuth clients and the access tokens issued to them. Tokens are random opaque strings (not JWTs: nothing in the
 * facts says Genesys tokens can be decoded, so a client must not try). A token is valid until its lifetime passes,
 * {@link #expireAll()} ends it early, or {@link #revoke} revokes it.
 *
 * <p>Confined to the emulator's context (no locks); the clock is passed in.
 */
final class TokenStore {

  /** Why a client's credentials were refused. */
  enum Refusal {
    /** Unknown client id or wrong secret. */
    INVALID_CLIENT,
    /** Known client, but not allowed to use the client-credentials grant (see {@link #disable}). */
    UNAUTHORIZED_CLIENT
  }

  /** One issued token. */
  record Token(String value, String clientId, long issuedAt, long expiresAt) {
    boolean expired(long now) {
      return now >= expiresAt;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, String> secrets;
  private final Set<String> disabled = new HashSet<>();
  private final Map<String, Token> tokens = new LinkedHashMap<>();
  private final Set<String> revoked = new HashSet<>();
  private final long lifetimeMillis;
  private final LongSupplier clock;

  TokenStore(Map<String, String> clients, long lifetimeMillis, LongSupplier clock) {
    this.secrets = new HashMap<>(clients);
    this.lifetimeMillis = lifetimeMillis;
    this.clock = Objects.requireNonNull(clock);
  }

  Optional<Refusal> check(String clientId, String secret) {
    String expected = secrets.get(clientId);
    if (expected == null || !expected.equals(secret)) {
      return Optional.of(Refusal.INVALID_CLIENT);
    }
    return disabled.contains(clientId) ? Optional.of(Refusal.UNAUTHORIZED_CLIENT) : Optional.empty();
  }

  Token issue(String clientId) {
    long now = clock.getAsLong();
    purge(now);
    byte[] bytes = new byte[48];
    RANDOM.nextBytes(bytes);
    Token token = new Token(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), clientId, now,
        now + lifetimeMillis);
    tokens.put(token.value(), token);
    return token;
  }

  long lifetimeSeconds() {
    return lifetimeMillis / 1000;
  }

  /** The token if it is known, unexpired and not revoked. */
  Optional<Token> valid(String value) {
    if (value == null || revoked.contains(value)) {
      return Optional.empty();
    }
    Token token = tokens.get(value);
    return token == null || token.expired(clock.getAsLong()) ? Optional.empty() : Optional.of(token);
  }

  /** The token whatever its state (for logging which client a refused request came from). */
  Optional<Token> find(String value) {
    return value == null ? Optional.empty() : Optional.ofNullable(tokens.get(value));
  }

  /** Every token still valid, oldest first. */
  List<Token> active() {
    long now = clock.getAsLong();
    List<Token> active = new ArrayList<>();
    for (Token token : tokens.values()) {
      if (!token.expired(now) && !revoked.contains(token.value())) {
        active.add(token);
      }
    }
    return active;
  }

  /** Ends every token now; returns how many were still valid. */
  int expireAll() {
    long now = clock.getAsLong();
    int ended = active().size();
    tokens.replaceAll((value, token) -> token.expired(now) ? token
        : new Token(value, token.clientId(), token.issuedAt(), now));
    return ended;
  }

  boolean revoke(String value) {
    return valid(value).isPresent() && revoked.add(value);
  }

  /** Rotates a client's secret: the old one is refused from now on; issued tokens stay valid. */
  void changeSecret(String clientId, String secret) {
    if (!secrets.containsKey(clientId)) {
      throw new IllegalArgumentException("unknown client " + clientId);
    }
    secrets.put(clientId, Objects.requireNonNull(secret));
  }

  void disable(String clientId, boolean disable) {
    if (disable) {
      disabled.add(clientId);
    } else {
      disabled.remove(clientId);
    }
  }

  // Tokens long past their expiry can go: an unknown token is refused exactly like an expired one.
  private void purge(long now) {
    tokens.values().removeIf(token -> now - token.expiresAt() > lifetimeMillis);
    revoked.retainAll(tokens.keySet());
  }
}
