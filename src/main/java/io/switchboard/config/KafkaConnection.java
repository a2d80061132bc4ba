package io.switchboard.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How to reach a Kafka cluster, shared by the {@code kafka} source and the {@code kafka} target: bootstrap servers,
 * the security protocol, SASL (PLAIN or SCRAM) with its password from the environment, TLS trust and client
 * certificates as PEM files, and free-form client {@code properties} for anything else. The keys a source or target
 * owns (offset commits, idempotence, serialisers) cannot be overridden there; {@link #clientProperties} says which.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param securityProtocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param saslMechanism    {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}; null without SASL
 * @param saslUsername     the SASL user; null without SASL
 * @param saslPassword     the SASL password, read from the variable {@code sasl.passwordEnv}; never printed
 * @param trustPemPath     PEM file of the CAs to trust for TLS, or null for the JVM's defaults
 * @param certPemPath      PEM client certificate chain for mutual TLS, or null
 * @param keyPemPath       PEM private key (PKCS#8, unencrypted) of that certificate, or null
 * @param properties       further client properties, passed through as given
 */
public record KafkaConnection(String bootstrapServers, String securityProtocol, String saslMechanism,
                              String saslUsername, String saslPassword, String trustPemPath, String certPemPath,
                              String keyPemPath, Map<String, String> properties) {

  /** The keys of a source's or target's object that this record reads. */
  public static final Set<String> KEYS = Set.of("bootstrapServers", "securityProtocol", "sasl", "tls", "properties");

  private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  public KafkaConnection {
    properties = Map.copyOf(properties);
  }

  /** Reads the connection keys of {@code node}; the caller has already checked the node's other keys. */
  public static KafkaConnection from(ConfigNode node) {
    return from(node, System::getenv);
  }

  /** As {@link #from(ConfigNode)}, resolving environment variables through {@code env} (tests pass a map). */
  public static KafkaConnection from(ConfigNode node, Function<String, String> env) {
    String bootstrap = node.requiredString("bootstrapServers");
    if (bootstrap.isBlank() || !bootstrap.matches("[^,\\s]+:[0-9]{1,5}(,[^,\\s]+:[0-9]{1,5})*")) {
      throw new ConfigException(node.path("bootstrapServers"),
          "must be host:port[,host:port...], got '" + bootstrap + "'");
    }
    String protocol = node.oneOf("securityProtocol", "PLAINTEXT", PROTOCOLS);
    boolean sasl = protocol.startsWith("SASL_");
    boolean tls = protocol.endsWith("SSL");
    String mechanism = null;
    String username = null;
    String password = null;
    if (node.json().containsKey("sasl")) {
      ConfigNode s = node.object("sasl").allowOnly(Set.of("mechanism", "username", "passwordEnv"));
      if (!sasl) {
        throw new ConfigException(node.path("sasl"), "needs securityProtocol SASL_PLAINTEXT or SASL_SSL, not " + protocol);
      }
      mechanism = s.oneOf("mechanism", "SCRAM-SHA-512", MECHANISMS);
      username = s.requiredString("username");
      String variable = s.requiredString("passwordEnv");
      password = env.apply(variable);
      if (password == null || password.isEmpty()) {
        throw new ConfigException(s.path("passwordEnv"), "environment variable " + variable + " is not set");
      }
    } else if (sasl) {
      throw new ConfigException(node.path("sasl"), "is required with securityProtocol " + protocol
          + " (mechanism, username, passwordEnv)");
    }
    String trust = null;
    String cert = null;
    String key = null;
    if (node.json().containsKey("tls")) {
      ConfigNode t = node.object("tls").allowOnly(Set.of("trustPemPath", "certPemPath", "keyPemPath"));
      if (!tls) {
        throw new ConfigException(node.path("tls"), "needs securityProtocol SSL or SASL_SSL, not " + protocol);
      }
      trust = t.string("trustPemPath", null);
      cert = t.string("certPemPath", null);
      key = t.string("keyPemPath", null);
      if ((cert == null) != (key == null)) {
        throw new ConfigException(t.path(cert == null ? "certPemPath" : "keyPemPath"),
            "a client certificate needs both certPemPath and keyPemPath");
      }
    }
    Map<String, String> extra = new LinkedHashMap<>();
    if (node.json().containsKey("properties")) {
      ConfigNode props = node.object("properties");
      for (String name : props.json().fieldNames()) {
        Object value = props.json().getValue(name);
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
          throw new ConfigException(props.path(name), "must be a string, number or boolean");
        }
        extra.put(name, String.valueOf(value));
      }
    }
    return new KafkaConnection(bootstrap, protocol, mechanism, username, password, trust, cert, key, extra);
  }

  /**
   * The client properties: the connection's own, then {@code properties}, then {@code owned}, which win. A key of
   * {@code properties} that {@code owned} also sets is a config error, said at {@code path}: a user who sets
   * {@code enable.auto.commit} must learn that it is not theirs to set, not have it silently replaced.
   */
  public Map<String, Object> clientProperties(Map<String, Object> owned, String path) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("bootstrap.servers", bootstrapServers);
    all.put("security.protocol", securityProtocol);
    if (saslMechanism != null) {
      all.put("sasl.mechanism", saslMechanism);
      String module = saslMechanism.equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      all.put("sasl.jaas.config", module + " required username=\"" + jaasQuote(saslUsername) + "\" password=\""
          + jaasQuote(saslPassword) + "\";");
    }
    if (trustPemPath != null) {
      all.put("ssl.truststore.type", "PEM");
      all.put("ssl.truststore.location", trustPemPath);
    }
    if (certPemPath != null) {
      all.put("ssl.keystore.type", "PEM");
      all.put("ssl.keystore.certificate.chain", read(certPemPath));
      all.put("ssl.keystore.key", read(keyPemPath));
    }
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (owned.containsKey(e.getKey()) || all.containsKey(e.getKey())) {
        throw new ConfigException(path + ".properties." + e.getKey(), "is set by Switchboard; remove it");
      }
      all.put(e.getKey(), e.getValue());
    }
    all.putAll(owned);
    return all;
  }

  private static String jaasQuote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String read(String path) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(path));
    } catch (java.io.IOException e) {
      throw new ConfigException("tls", "cannot read " + path + ": " + e.getMessage());
    }
  }

  /** Never print the password. */
  @Override
  public String toString() {
    return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", securityProtocol=" + securityProtocol
        + ", sasl=" + (saslMechanism == null ? "off" : saslMechanism + " as " + saslUsername + " (password ***)")
        + ", tls=" + (trustPemPath != null || certPemPath != null ? "pem" : "default") + ", properties="
        + properties.keySet() + "]";
  }
}
