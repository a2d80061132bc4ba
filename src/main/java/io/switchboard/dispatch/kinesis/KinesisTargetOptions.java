package io.switchboard.dispatch.kinesis;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.EndpointOverride;
import io.switchboard.config.TargetConfig;

import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Options of a {@code kinesis} target, read from the target's config object.
 *
 * <p>Credentials come from the AWS default provider chain (environment, system properties, profile, container or
 * instance role), never from the config file. {@code staticCredentialsFromEnv} only names the environment
 * variables to read them from, for a local try-out against an emulator; the values are resolved here, at start,
 * and {@link #toString()} never shows them.
 *
 * @param stream              stream name; exactly one of {@code stream} and {@code streamArn} is set
 * @param streamArn           stream ARN (cross-account or when IAM policies name the ARN)
 * @param region              AWS region; taken from the ARN when only that is given
 * @param endpoint            endpoint override (an emulator, a VPC endpoint), or {@code null}
 * @param partitionKeys       how each record's partition key (and ordering key) is chosen
 * @param maxRecordBytes      largest record, data plus partition key; larger ones are dead-lettered
 * @param maxRequestBytes     largest PutRecords request, summed the same way
 * @param maxBatch            most records per PutRecords request
 * @param lingerMs            longest a record waits for others to share its request
 * @param maxRequestsInFlight PutRecords requests outstanding at once per dispatcher instance; more records
 *                            wait and ride in the next, fuller request
 * @param timeoutMs           deadline of one PutRecords call, connection included
 * @param http1               speak HTTP/1.1 (kinesalite and other emulators); the SDK default is HTTP/2
 * @param cbor                use the SDK's default CBOR wire format; {@code false} sends JSON (kinesalite)
 * @param staticCredentials   credentials read from named environment variables, or {@code null} for the
 *                            default provider chain
 */
public record KinesisTargetOptions(String stream, String streamArn, String region, URI endpoint,
                                   PartitionKeys partitionKeys, int maxRecordBytes, int maxRequestBytes, int maxBatch,
                                   long lingerMs, int maxRequestsInFlight, long timeoutMs, boolean http1, boolean cbor,
                                   StaticCredentials staticCredentials) {

  /** Per-record limit (data + partition key) in the long-standing Kinesis documentation and in kinesalite. */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
  /** Per-request limit in the long-standing documentation. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 5 << 20;
  /** The largest the current API reference allows for either; a bigger value is a typo. */
  public static final int LIMIT_BYTES = 10 << 20;
  /** PutRecords takes at most 500 records. */
  public static final int MAX_BATCH = 500;
  public static final long DEFAULT_LINGER_MS = 10;
  public static final int DEFAULT_MAX_REQUESTS_IN_FLIGHT = 4;
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private static final Set<String> OWN_KEYS = Set.of("stream", "streamArn", "region", "endpoint", "partitionKey",
      "maxRecordBytes", "maxRequestBytes", "maxBatch", "lingerMs", "maxRequestsInFlight", "timeoutMs", "http1", "cbor",
      "staticCredentialsFromEnv");
  private static final Set<String> ALL_KEYS = TargetConfig.keysWith(OWN_KEYS);
  private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
  private static final Pattern STREAM_ARN =
      Pattern.compile("arn:aws[a-z-]*:kinesis:([a-z]{2}(?:-[a-z]+)+-[0-9]+):[0-9]{12}:stream/[a-zA-Z0-9_.-]{1,128}");

  public KinesisTargetOptions {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(partitionKeys, "partitionKeys");
    if ((stream == null) == (streamArn == null)) {
      throw new IllegalArgumentException("exactly one of stream and streamArn");
    }
    if (maxRecordBytes < 1 || maxRequestBytes < maxRecordBytes || maxBatch < 1 || maxBatch > MAX_BATCH
        || lingerMs < 0 || maxRequestsInFlight < 1 || timeoutMs < 1) {
      throw new IllegalArgumentException("limits out of range");
    }
  }

  /** Reads a target config object; {@code staticCredentialsFromEnv} is resolved from the process environment. */
  public static KinesisTargetOptions from(ConfigNode node) {
    return from(node, System::getenv);
  }

  /** As {@link #from(ConfigNode)}, resolving environment variables through {@code env} (tests pass a map). */
  public static KinesisTargetOptions from(ConfigNode node, Function<String, String> env) {
    node.allowOnly(ALL_KEYS);
    String stream = node.string("stream", null);
    String streamArn = node.string("streamArn", null);
    if ((stream == null) == (streamArn == null)) {
      throw new ConfigException(node.path("stream"), "give exactly one of stream (a name) and streamArn");
    }
    String arnRegion = null;
    if (stream != null && !STREAM_NAME.matcher(stream).matches()) {
      throw new ConfigException(node.path("stream"), "must be 1-128 of [a-zA-Z0-9_.-], got '" + stream + "'");
    }
    if (streamArn != null) {
      Matcher arn = STREAM_ARN.matcher(streamArn);
      if (!arn.matches()) {
        throw new ConfigException(node.path("streamArn"),
            "must look like arn:aws:kinesis:<region>:<account>:stream/<name>, got '" + streamArn + "'");
      }
      arnRegion = arn.group(1);
    }
    String region = node.string("region", arnRegion);
    if (region == null) {
      throw new ConfigException(node.path("region"), "is required (e.g. \"eu-west-1\")");
    }
    if (!REGION.matcher(region).matches()) {
      throw new ConfigException(node.path("region"), "must be an AWS region such as eu-west-1, got '" + region + "'");
    }
    if (arnRegion != null && !arnRegion.equals(region)) {
      throw new ConfigException(node.path("region"), "is " + region + " but streamArn names " + arnRegion);
    }
    int maxRecordBytes = node.intValue("maxRecordBytes", DEFAULT_MAX_RECORD_BYTES, 1024, LIMIT_BYTES);
    int maxRequestBytes = node.intValue("maxRequestBytes", Math.max(DEFAULT_MAX_REQUEST_BYTES, maxRecordBytes),
        1024, LIMIT_BYTES);
    if (maxRequestBytes < maxRecordBytes) {
      throw new ConfigException(node.path("maxRequestBytes"), "must be at least maxRecordBytes (" + maxRecordBytes
          + "), got " + maxRequestBytes);
    }
    return new KinesisTargetOptions(stream, streamArn, region, endpoint(node),
        PartitionKeys.from(node, "partitionKey"),
        maxRecordBytes,
        maxRequestBytes,
        node.intValue("maxBatch", MAX_BATCH, 1, MAX_BATCH),
        node.longValue("lingerMs", DEFAULT_LINGER_MS, 0, 5_000),
        node.intValue("maxRequestsInFlight", DEFAULT_MAX_REQUESTS_IN_FLIGHT, 1, 256),
        node.longValue("timeoutMs", DEFAULT_TIMEOUT_MS, 100, 300_000),
        node.bool("http1", false),
        node.bool("cbor", true),
        StaticCredentials.from(node, "staticCredentialsFromEnv", env));
  }

  /** The stream as logs and metrics name it. */
  public String streamLabel() {
    return stream != null ? stream : streamArn;
  }

  /** Everything but credential values, so the options can be logged as a whole. */
  @Override
  public String toString() {
    return "KinesisTargetOptions[stream=" + streamLabel() + ", region=" + region + ", endpoint=" + endpoint
        + ", partitionKey=" + partitionKeys.describe() + ", maxRecordBytes=" + maxRecordBytes + ", maxRequestBytes="
        + maxRequestBytes + ", maxBatch=" + maxBatch + ", lingerMs=" + lingerMs + ", maxRequestsInFlight="
        + maxRequestsInFlight + ", timeoutMs=" + timeoutMs + ", http1=" + http1 + ", cbor=" + cbor + ", credentials="
        + (staticCredentials == null ? "default chain" : staticCredentials) + "]";
  }

  private static URI endpoint(ConfigNode node) {
    return EndpointOverride.from(node, "endpoint");
  }

  /**
   * Access key, secret and optional session token read from environment variables named in the config. For local
   * try-outs only: production uses the default provider chain.
   */
  public record StaticCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
                                  String accessKeyIdVariable) {

    private static final Set<String> KEYS = Set.of("accessKeyId", "secretAccessKey", "sessionToken");

    public StaticCredentials {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
      Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    }

    static StaticCredentials from(ConfigNode target, String key, Function<String, String> env) {
      if (target.json().getValue(key) == null) {
        return null;
      }
      ConfigNode node = target.object(key).allowOnly(KEYS);
      String idVariable = node.requiredString("accessKeyId");
      return new StaticCredentials(variable(node, "accessKeyId", env, true),
          variable(node, "secretAccessKey", env, true),
          variable(node, "sessionToken", env, false), idVariable);
    }

    private static String variable(ConfigNode node, String key, Function<String, String> env, boolean required) {
      String name = required ? node.requiredString(key) : node.string(key, null);
      if (name == null) {
        return null;
      }
      String value = env.apply(name);
      if (value == null || value.isBlank()) {
        throw new ConfigException(node.path(key), "environment variable " + name + " is not set or empty");
      }
      return value.strip();
    }

    /** Names the variables, never the values. */
    @Override
    public String toString() {
      return "static credentials from environment variable " + accessKeyIdVariable + " and its secret";
    }
  }
}
