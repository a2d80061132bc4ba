package io.switchboard.config;

import java.util.Set;

/**
 * The HTTP ingest endpoint ({@code POST /events}) and the operations endpoints served beside it.
 *
 * @param apiKeyHeader header carrying the API key, as EventBridge API-destination connections send it
 * @param apiKey       expected key; {@code null} disables the check. Read from the environment variable
 *                     named by {@code apiKeyEnv} when set, so the secret need not sit in the file
 * @param maxInFlight  admitted-but-unsettled events per ingest instance before it answers 503
 * @param basicUser    HTTP Basic user ingest accepts ({@code basicAuth.username}), or {@code null}
 * @param basicPassword its password, from {@code basicAuth.password} or the variable {@code basicAuth.passwordEnv}
 * @param adminKeyHeader header carrying the admin key ({@code /dlq*}, {@code /conversations*})
 * @param adminKey     the admin key, distinct from the ingest key, or {@code null} for open admin endpoints
 * @param metricsNeedAdmin whether {@code /metrics} also asks for the admin key
 * @param adminPort    a separate admin listener for {@code /dlq*} and {@code /conversations*}, or -1 to serve them
 *                     beside ingest (0 picks a free port)
 * @param adminHost    the admin listener's address; loopback by default
 * @param tls          TLS for the ingest listener (PEM files), or {@code null} for plain HTTP
 */
public record HttpIngestConfig(String host, int port, int instances, int maxBodyBytes, String apiKeyHeader,
                               String apiKey, int maxInFlight, int retryAfterSeconds, long dedupTimeoutMs,
                               String basicUser, String basicPassword, String adminKeyHeader, String adminKey,
                               boolean metricsNeedAdmin, int adminPort, String adminHost, Tls tls) {

  /**
   * TLS of the ingest listener: a PEM certificate chain and its PEM private key; with {@code clientCaPath}, clients
   * must present a certificate that CA signed.
   */
  public record Tls(String certPath, String keyPath, String clientCaPath) {
  }

  static HttpIngestConfig from(ConfigNode node) {
    node.allowOnly(Set.of("host", "port", "instances", "maxBodyBytes", "apiKeyHeader", "apiKey", "apiKeyEnv",
        "maxInFlight", "retryAfterSeconds", "dedupTimeoutMs", "basicAuth",
        "adminKeyHeader", "adminKey", "adminKeyEnv", "metricsNeedAdmin", "adminPort", "adminHost", "tls"));
    String apiKey = secret(node, "apiKey", "apiKeyEnv");
    String adminKey = secret(node, "adminKey", "adminKeyEnv");
    if (adminKey != null && adminKey.equals(apiKey)) {
      throw new ConfigException(node.path("adminKey"), "must differ from the ingest key: a sender of events must not "
          + "be able to read or replay the DLQ");
    }
    ConfigNode basic = node.object("basicAuth").allowOnly(Set.of("username", "password", "passwordEnv"));
    String basicUser = basic.string("username", null);
    String basicPassword = secret(basic, "password", "passwordEnv");
    if ((basicUser == null) != (basicPassword == null)) {
      throw new ConfigException(basic.path(basicUser == null ? "username" : "password"),
          "HTTP Basic needs both a username and a password (or passwordEnv)");
    }
    if (basicUser != null && basicUser.contains(":")) {
      throw new ConfigException(basic.path("username"), "a Basic username cannot contain ':'");
    }
    Tls tls = null;
    if (node.json().containsKey("tls")) {
      ConfigNode t = node.object("tls").allowOnly(Set.of("certPath", "keyPath", "clientCaPath"));
      tls = new Tls(t.requiredString("certPath"), t.requiredString("keyPath"), t.string("clientCaPath", null));
    }
    return new HttpIngestConfig(
        node.string("host", "0.0.0.0"),
        node.intValue("port", 8080, 0, 65535),
        node.intValue("instances", 2, 1, 64),
        node.intValue("maxBodyBytes", 1024 * 1024, 1024, 64 * 1024 * 1024),
        node.string("apiKeyHeader", "x-api-key"),
        apiKey,
        node.intValue("maxInFlight", 5_000, 1, 10_000_000),
        node.intValue("retryAfterSeconds", 1, 1, 3600),
        node.longValue("dedupTimeoutMs", 10_000, 100, 600_000),
        basicUser,
        basicPassword,
        node.string("adminKeyHeader", "x-admin-key"),
        adminKey,
        node.bool("metricsNeedAdmin", false),
        node.intValue("adminPort", -1, -1, 65535),
        node.string("adminHost", "127.0.0.1"),
        tls);
  }

  /** The value of {@code key}, or of the environment variable {@code envKey} names (preferred: not in the file). */
  private static String secret(ConfigNode node, String key, String envKey) {
    String value = node.string(key, null);
    String env = node.string(envKey, null);
    if (env != null) {
      String fromEnv = System.getenv(env);
      if (fromEnv == null || fromEnv.isEmpty()) {
        throw new ConfigException(node.path(envKey), "environment variable " + env + " is not set");
      }
      value = fromEnv;
    }
    return value;
  }

  /** Never print the key itself. */
  @Override
  public String toString() {
    return "HttpIngestConfig[host=" + host + ", port=" + port + ", instances=" + instances + ", maxBodyBytes="
        + maxBodyBytes + ", apiKeyHeader=" + apiKeyHeader + ", apiKey=" + (apiKey == null ? "off" : "***")
        + ", basicAuth=" + (basicUser == null ? "off" : "***") + ", adminKey=" + (adminKey == null ? "off" : "***")
        + ", maxInFlight=" + maxInFlight + "]";
  }
}
