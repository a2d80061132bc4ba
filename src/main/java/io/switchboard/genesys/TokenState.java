package io.switchboard.genesys;

/**
 * The access token and when to renew it: a token is used until {@code refreshMargin} before it expires (so no
 * request carries one that dies on the way), or until the API refused it. Pure; the owner verticle holds one and
 * makes sure a single refresh is under way at a time.
 */
public final class TokenState {

  private final long refreshMarginMillis;
  private String token;
  private long expiresAt;
  private long renewAt;

  public TokenState(long refreshMarginMillis) {
    this.refreshMarginMillis = refreshMarginMillis;
  }

  /** The token to use at {@code now}, or null when a new one must be fetched first. */
  public String usable(long now) {
    return token != null && now < renewAt() ? token : null;
  }

  /** A new token, valid for {@code expiresInSeconds} from {@code now}. */
  public void accept(String newToken, long expiresInSeconds, long now) {
    long lifetime = Math.max(0, expiresInSeconds) * 1000;
    this.token = newToken;
    this.expiresAt = now + lifetime;
    // A short-lived token (tests, or a client configured so) is renewed half-way rather than at once.
    this.renewAt = now + Math.max(lifetime / 2, lifetime - refreshMarginMillis);
  }

  /** The API answered 401 to {@code refused}: forget it, unless a newer token has replaced it already. */
  public void invalidate(String refused) {
    if (refused != null && refused.equals(token)) {
      token = null;
    }
  }

  /** When the current token should be replaced: the margin before expiry, but not before half its life. */
  public long renewAt() {
    return renewAt;
  }

  public long expiresAt() {
    return expiresAt;
  }
}
