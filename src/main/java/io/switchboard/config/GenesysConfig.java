package io.switchboard.config;

import io.switchboard.genesys.GenesysHosts;

import java.net.URI;
import java.util.Set;
import java.util.function.Function;

/**
 * How Switchboard reaches Genesys Cloud's REST and Notifications APIs (the {@code genesys} section): the
 * organisation's region (or an explicit base URL), the OAuth client-credentials pair with its secret from the
 * environment, and the request budget every Genesys call of this node shares.
 *
 * @param hosts              API and login bases
 * @param clientId           the OAuth client id
 * @param clientSecret       its secret, read from the variable {@code clientSecretEnv}; never printed
 * @param requestsPerMinute  the REST budget per token (Genesys allows 300 a minute per client-credentials token)
 * @param refreshMarginSeconds how long before expiry a token is replaced
 * @param timeoutMs          one REST request's timeout
 * @param maxRetryAfterSeconds a 429 asking to wait longer than this fails the request instead (the SDKs give up past 180 s)
 */
public record GenesysConfig(GenesysHosts hosts, String clientId, String clientSecret, int requestsPerMinute,
                            long refreshMarginSeconds, long timeoutMs, long maxRetryAfterSeconds) {

  private static final Set<String> KEYS = Set.of("region", "baseUrl", "clientId", "clientSecretEnv",
      "requestsPerMinute", "refreshMarginSeconds", "timeoutMs", "maxRetryAfterSeconds");

  /** The section, or null when it is absent (nothing talks to Genesys then). */
  public static GenesysConfig from(ConfigNode node, Function<String, String> env) {
    if (node.json().isEmpty()) {
      return null;
    }
    node.allowOnly(KEYS);
    String region = node.string("region", null);
    String baseUrl = node.string("baseUrl", null);
    if ((region == null) == (baseUrl == null)) {
      throw new ConfigException(node.path("region"), "give exactly one of region (e.g. \"eu-west-1\") and baseUrl");
    }
    GenesysHosts hosts;
    if (region != null) {
      hosts = GenesysHosts.ofRegion(region).orElseThrow(() -> new ConfigException(node.path("region"),
          "unknown Genesys Cloud region '" + region + "'; known: " + GenesysHosts.regions()));
    } else {
      URI base;
      try {
        base = URI.create(baseUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(node.path("baseUrl"), "is not a URL: " + e.getMessage());
      }
      if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()) || base.getHost() == null) {
        throw new ConfigException(node.path("baseUrl"), "must be an http(s) URL, got '" + baseUrl + "'");
      }
      hosts = GenesysHosts.ofBase(base);
    }
    String variable = node.requiredString("clientSecretEnv");
    String secret = env.apply(variable);
    if (secret == null || secret.isEmpty()) {
      throw new ConfigException(node.path("clientSecretEnv"), "environment variable " + variable + " is not set");
    }
    return new GenesysConfig(hosts, node.requiredString("clientId"), secret,
        node.intValue("requestsPerMinute", 300, 1, 100_000),
        node.longValue("refreshMarginSeconds", 300, 0, 86_400),
        node.longValue("timeoutMs", 10_000, 100, 300_000),
        node.longValue("maxRetryAfterSeconds", 180, 1, 3_600));
  }

  /** Never print the secret. */
  @Override
  public String toString() {
    return "GenesysConfig[api=" + hosts.apiBase() + ", login=" + hosts.loginBase() + ", clientId=" + clientId
        + ", clientSecret=***, requestsPerMinute=" + requestsPerMinute + "]";
  }
}
