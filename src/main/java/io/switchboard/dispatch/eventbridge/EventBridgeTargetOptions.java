package io.switchboard.dispatch.eventbridge;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.EndpointOverride;
import io.switchboard.config.TargetConfig;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Options of an {@code eventbridge} target, read from the target's config object.
 *
 * @param eventBus          name or ARN of the event bus every entry goes to ({@code EventBusName})
 * @param source            the entries' {@code Source}
 * @param detailType        the entries' {@code DetailType}; {@code null} keeps the Genesys {@code detail-type}
 *                          ({@code v2.detail.events.conversation.{id}.acd.end} ...)
 * @param detail            what goes into {@code Detail}
 * @param region            AWS region; {@code null} asks the SDK's default region chain ({@code AWS_REGION}, ...)
 * @param endpoint          endpoint override (an emulator, a VPC endpoint); {@code null} for AWS's own
 * @param maxEntryBytes     limit of one entry and of one request, both counted as AWS counts PutEvents entry size
 * @param http1             force HTTP/1.1 instead of leaving the protocol to the SDK
 * @param timeoutMs         longest one PutEvents call may take, connection included
 * @param lingerMs          longest an entry waits for others to share its request (0: only those handed over together)
 * @param staticCredentials names of environment variables holding static credentials, for local try-outs;
 *                          {@code null} uses the SDK's default credentials chain
 */
public record EventBridgeTargetOptions(String eventBus, String source, String detailType, DetailShape detail,
                                       String region, URI endpoint, int maxEntryBytes, boolean http1, long timeoutMs,
                                       long lingerMs, EnvCredentials staticCredentials) {

  public static final String DEFAULT_EVENT_BUS = "default";
  public static final String DEFAULT_SOURCE = "switchboard";
  /** PutEvents' long-standing limit (256 KB); AWS has since raised it to 1 MiB ({@link #MAX_ENTRY_BYTES}). */
  public static final int DEFAULT_MAX_ENTRY_BYTES = 262_144;
  public static final int MAX_ENTRY_BYTES = 1_048_576;
  /** A PutEvents answer takes tens of milliseconds; this leaves room for a slow region without holding a batch long. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  /**
   * The dispatcher hands events over as they become ready, mostly one at a time; a few milliseconds let the events
   * of other conversations arriving meanwhile share the request, which is what makes batches form under load.
   */
  public static final long DEFAULT_LINGER_MS = 5;
  /** The API reference's limits: {@code DetailType} up to 128 characters, {@code Source} and bus names up to 256. */
  static final int MAX_DETAIL_TYPE_CHARS = 128;
  static final int MAX_SOURCE_CHARS = 256;

  /** {@code EventBusName} as the PutEvents API reference constrains it: a name, or the ARN of one. */
  private static final Pattern EVENT_BUS = Pattern.compile(
      "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus/)?[/.\\-_A-Za-z0-9]{1,256}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
  private static final Set<String> OWN_KEYS = Set.of("eventBus", "source", "detailType", "detail", "region",
      "endpoint", "maxEntryBytes", "http1", "timeoutMs", "lingerMs", "staticCredentialsFromEnv");
  private static final Set<String> ALL_KEYS = TargetConfig.keysWith(OWN_KEYS);

  /** What an entry's {@code Detail} holds. */
  public enum DetailShape {
    /** The Genesys notification verbatim: the envelope's {@code detail} object, or a WebSocket message as it came. */
    GENESYS,
    /** The enriched wrapper ({@code payload.shape: enriched}): event, conversation snapshot, idempotency key. */
    ENRICHED
  }

  /**
   * Names of the environment variables holding static credentials (never their values, so this may be logged).
   *
   * @param sessionToken {@code null} for long-term keys
   */
  public record EnvCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public EnvCredentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }
  }

  public EventBridgeTargetOptions {
    Objects.requireNonNull(eventBus, "eventBus");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detail, "detail");
    if (maxEntryBytes < 1 || maxEntryBytes > MAX_ENTRY_BYTES || timeoutMs < 1 || lingerMs < 0) {
      throw new IllegalArgumentException("maxEntryBytes must be 1.." + MAX_ENTRY_BYTES
          + ", timeoutMs positive and lingerMs not negative");
    }
  }

  /** Reads a target config object; {@code staticCredentialsFromEnv} variables must be set in this process. */
  public static EventBridgeTargetOptions from(ConfigNode node) {
    return from(node, System::getenv);
  }

  /**
   * Reads a target config object, checking that the variables named by {@code staticCredentialsFromEnv} are set
   * through {@code env} (name → value, {@code null} when unset).
   *
   * @throws ConfigException naming the JSON path of the first key at fault
   */
  public static EventBridgeTargetOptions from(ConfigNode node, Function<String, String> env) {
    Objects.requireNonNull(env, "env");
    node.allowOnly(ALL_KEYS);
    String eventBus = node.string("eventBus", DEFAULT_EVENT_BUS);
    if (!EVENT_BUS.matcher(eventBus).matches()) {
      throw new ConfigException(node.path("eventBus"), "must be an event bus name (letters, digits, '.', '-', '_', '/')"
          + " or an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>), got '" + eventBus + "'");
    }
    return new EventBridgeTargetOptions(eventBus, source(node), detailType(node), detail(node), region(node),
        endpoint(node),
        node.intValue("maxEntryBytes", DEFAULT_MAX_ENTRY_BYTES, 1024, MAX_ENTRY_BYTES),
        node.bool("http1", false),
        node.longValue("timeoutMs", DEFAULT_TIMEOUT_MS, 100, 600_000),
        node.longValue("lingerMs", DEFAULT_LINGER_MS, 0, 1000),
        credentials(node, env));
  }

  private static String source(ConfigNode node) {
    String source = node.string("source", DEFAULT_SOURCE);
    if (source.isBlank() || source.length() > MAX_SOURCE_CHARS) {
      throw new ConfigException(node.path("source"), "must be 1 to " + MAX_SOURCE_CHARS + " characters");
    }
    if (source.startsWith("aws.")) {
      // EventBridge fails every such entry with NotAuthorizedForSourceException: better to say so at start.
      throw new ConfigException(node.path("source"), "must not start with 'aws.' (reserved for AWS services), got '"
          + source + "'");
    }
    return source;
  }

  private static String detailType(ConfigNode node) {
    String detailType = node.string("detailType", null);
    if (detailType != null && (detailType.isBlank() || detailType.length() > MAX_DETAIL_TYPE_CHARS)) {
      throw new ConfigException(node.path("detailType"), "must be 1 to " + MAX_DETAIL_TYPE_CHARS
          + " characters, or absent to keep the Genesys detail-type");
    }
    return detailType;
  }

  /**
   * The dispatcher shapes every delivery once, by {@code payload.shape}; {@code detail} names the same choice in
   * EventBridge's terms. Absent, it follows {@code payload.shape}; present, it must agree, because a silent
   * disagreement would either waste the wrapper or send a different shape than the config reads.
   */
  private static DetailShape detail(ConfigNode node) {
    Object payload = node.json().getValue("payload");
    boolean enriched = payload instanceof JsonObject p && "enriched".equals(p.getValue("shape"));
    String detail = node.oneOf("detail", enriched ? "enriched" : "genesys", Set.of("genesys", "enriched"));
    if (detail.equals("enriched") != enriched) {
      throw new ConfigException(node.path("detail"), "'" + detail + "' disagrees with payload.shape '"
          + (enriched ? "enriched" : "original") + "': use detail 'enriched' with payload.shape 'enriched', or "
          + "detail 'genesys' with payload.shape 'original' (or leave detail out: it follows payload.shape)");
    }
    return enriched ? DetailShape.ENRICHED : DetailShape.GENESYS;
  }

  private static String region(ConfigNode node) {
    String region = node.string("region", null);
    if (region != null && !REGION.matcher(region).matches()) {
      throw new ConfigException(node.path("region"), "must be an AWS region such as us-east-1, got '" + region + "'");
    }
    return region;
  }

  private static URI endpoint(ConfigNode node) {
    return EndpointOverride.from(node, "endpoint");
  }

  private static EnvCredentials credentials(ConfigNode node, Function<String, String> env) {
    if (node.json().getValue("staticCredentialsFromEnv") == null) {
      return null;
    }
    ConfigNode names = node.object("staticCredentialsFromEnv")
        .allowOnly(Set.of("accessKeyId", "secretAccessKey", "sessionToken"));
    EnvCredentials credentials = new EnvCredentials(names.requiredString("accessKeyId"),
        names.requiredString("secretAccessKey"), names.string("sessionToken", null));
    requireSet(names, "accessKeyId", credentials.accessKeyId(), env);
    requireSet(names, "secretAccessKey", credentials.secretAccessKey(), env);
    if (credentials.sessionToken() != null) {
      requireSet(names, "sessionToken", credentials.sessionToken(), env);
    }
    return credentials;
  }

  private static void requireSet(ConfigNode names, String key, String variable, Function<String, String> env) {
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      throw new ConfigException(names.path(key), "environment variable " + variable + " is not set or empty");
    }
  }
}
