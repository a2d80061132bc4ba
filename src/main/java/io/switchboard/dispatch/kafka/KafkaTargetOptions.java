package io.switchboard.dispatch.kafka;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.KafkaConnection;
import io.switchboard.config.TargetConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Options of a {@code kafka} target, read from the target's config object. The connection keys
 * ({@code bootstrapServers}, {@code securityProtocol}, {@code sasl}, {@code tls}, {@code properties}) are
 * {@link KafkaConnection}'s, shared with the {@code kafka} source; the SASL password is read from the environment
 * variable that {@code sasl.passwordEnv} names, and {@link #toString()} never shows it.
 *
 * <p>The producer properties that keep delivery safe and ordered are owned here, and setting one in
 * {@code properties} is a config error: {@code enable.idempotence=true}, {@code acks=all},
 * {@code max.in.flight.requests.per.connection=5} and unlimited {@code retries} (bounded by
 * {@code deliveryTimeoutMs}), with which the producer retries without duplicating or reordering a partition's records;
 * key and value serialisers; {@code partitioner.ignore.keys=false} and no custom {@code partitioner.class}, so a
 * key always maps to one partition; no {@code transactional.id}; {@code max.block.ms} (see {@link #maxBlockMs()}); and
 * the properties behind this target's own keys below, which must be set through those keys.
 *
 * @param topic             the topic written to; it must exist (Switchboard never creates topics)
 * @param connection        bootstrap servers, security, SASL, TLS and pass-through client properties
 * @param keys              how each record's key (and ordering key) is chosen: {@code key}
 * @param idempotencyHeader name of the header carrying the delivery's idempotency key ({@code idempotency-key})
 * @param maxBatch          most records one hand-over from the dispatcher carries (the producer then groups records
 *                          per partition into batches of up to {@code batchBytes})
 * @param lingerMs          how long the producer waits for more records to fill a batch ({@code linger.ms})
 * @param batchBytes        largest batch per partition, before compression ({@code batch.size})
 * @param compression       {@code none}, {@code gzip}, {@code snappy}, {@code lz4} or {@code zstd}
 *                          ({@code compression.type})
 * @param deliveryTimeoutMs longest a record may take from hand-over to acknowledgement, the producer's own retries
 *                          included ({@code delivery.timeout.ms}); then it fails and the dispatcher's retry policy
 *                          decides
 * @param requestTimeoutMs  longest the producer waits for one produce request's answer ({@code request.timeout.ms})
 * @param maxRecordBytes    largest record, value plus key plus header bytes; larger ones are dead-lettered without
 *                          being sent ({@code max.request.size} is set to this plus {@value #FRAMING_ALLOWANCE_BYTES}
 *                          bytes of Kafka's own framing)
 * @param clientId          the {@code client.id} prefix: {@code properties."client.id"} if set, else
 *                          {@code switchboard-<target id>}; each dispatcher instance's producer appends a number
 * @param producerProperties every producer property but {@code client.id}, owned ones included; holds the SASL
 *                          password, so it is never printed
 */
public record KafkaTargetOptions(String topic, KafkaConnection connection, RecordKeys keys, String idempotencyHeader,
                                 int maxBatch, long lingerMs, int batchBytes, String compression,
                                 long deliveryTimeoutMs, long requestTimeoutMs, int maxRecordBytes, String clientId,
                                 Map<String, Object> producerProperties) {

  public static final String DEFAULT_IDEMPOTENCY_HEADER = "idempotency-key";
  /** Headers every record carries besides the idempotency key. */
  public static final String CONVERSATION_HEADER = "conversation-id";
  public static final String EVENT_TYPE_HEADER = "event-type";
  public static final int DEFAULT_MAX_BATCH = 500;
  /** Kafka 4.0's new default (KIP-1030): a few ms of waiting fills batches at no noticeable latency. */
  public static final long DEFAULT_LINGER_MS = 5;
  /**
   * Kafka's 16 KiB holds only a handful of 2–4 KB Genesys events; 64 KiB batches compress better and need fewer
   * requests, and memory is bounded by {@code buffer.memory} (32 MiB) whatever the batch size.
   */
  public static final int DEFAULT_BATCH_BYTES = 64 * 1024;
  /**
   * lz4: JSON events compress several times over, lz4 costs the least CPU of Kafka's codecs (on the producer's I/O
   * thread, never an event loop), and lz4-java comes with kafka-clients and falls back to pure Java where its native
   * library cannot load (snappy and zstd need theirs). Brokers store batches as compressed, so disk and replication
   * traffic shrink too.
   */
  public static final String DEFAULT_COMPRESSION = "lz4";
  /**
   * Shorter than Kafka's 120 s: the dispatcher's retry policy owns retrying and {@code /ready} reports a failing
   * target after {@code failingAfterSeconds} (60 s by default); a record held two minutes inside the producer would
   * keep both from seeing an outage. 30 s still spans a leader election.
   */
  public static final long DEFAULT_DELIVERY_TIMEOUT_MS = 30_000;
  /** As the kinesis target's {@code timeoutMs}: a healthy cluster acknowledges in milliseconds, even with acks=all. */
  public static final long DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
  /** Kafka's default {@code max.request.size}, and what brokers accept by default ({@code message.max.bytes}). */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;
  /** The default {@code buffer.memory}: a larger record could never be buffered. */
  public static final int LIMIT_RECORD_BYTES = 32 << 20;
  /** Headroom for Kafka's batch header, record framing and varints over the bytes {@code maxRecordBytes} counts. */
  public static final int FRAMING_ALLOWANCE_BYTES = 1024;
  /** Cap of {@link #maxBlockMs()}. */
  public static final long MAX_BLOCK_CAP_MS = 5_000;

  private static final Set<String> OWN_KEYS = Set.of("topic", "key", "idempotencyHeader", "maxBatch", "lingerMs",
      "batchBytes", "compression", "deliveryTimeoutMs", "requestTimeoutMs", "maxRecordBytes");
  private static final Set<String> ALL_KEYS = allKeys();
  private static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /** Producer properties this target sets from its own keys: {@code properties} must not set them behind their back. */
  private static final Map<String, String> SET_BY_OWN_KEYS = Map.of(
      ProducerConfig.LINGER_MS_CONFIG, "lingerMs",
      ProducerConfig.BATCH_SIZE_CONFIG, "batchBytes",
      ProducerConfig.COMPRESSION_TYPE_CONFIG, "compression",
      ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "deliveryTimeoutMs",
      ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "requestTimeoutMs",
      ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "maxRecordBytes");
  /** Properties that would break ordering or delivery and that nothing here sets: refused with the reason. */
  private static final Map<String, String> REFUSED = Map.of(
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, "the kafka target does not use transactions; remove it",
      ProducerConfig.PARTITIONER_CLASS_CONFIG,
      "records are partitioned by their key (the ordering key) with Kafka's default partitioner; remove it");

  public KafkaTargetOptions {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(idempotencyHeader, "idempotencyHeader");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(clientId, "clientId");
    producerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(producerProperties));
    if (maxBatch < 1 || lingerMs < 0 || batchBytes < 0 || requestTimeoutMs < 1
        || deliveryTimeoutMs < lingerMs + requestTimeoutMs || maxRecordBytes < 1) {
      throw new IllegalArgumentException("limits out of range");
    }
  }

  /** Reads a target config object; {@code sasl.passwordEnv} is resolved from the process environment. */
  public static KafkaTargetOptions from(ConfigNode node) {
    return from(node, System::getenv);
  }

  /** As {@link #from(ConfigNode)}, resolving environment variables through {@code env} (tests pass a map). */
  public static KafkaTargetOptions from(ConfigNode node, Function<String, String> env) {
    node.allowOnly(ALL_KEYS);
    String topic = node.requiredString("topic");
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new ConfigException(node.path("topic"), "must be a Kafka topic name: 1-249 of [a-zA-Z0-9._-], not '.' or"
          + " '..', got '" + topic + "'");
    }
    KafkaConnection connection = KafkaConnection.from(node, env);
    String header = node.string("idempotencyHeader", DEFAULT_IDEMPOTENCY_HEADER);
    if (!HEADER.matcher(header).matches()) {
      throw new ConfigException(node.path("idempotencyHeader"), "must be 1-64 of [A-Za-z0-9._-], got '" + header + "'");
    }
    if (header.equals(CONVERSATION_HEADER) || header.equals(EVENT_TYPE_HEADER)) {
      throw new ConfigException(node.path("idempotencyHeader"), "'" + header + "' is a header every record carries"
          + " already; choose another name");
    }
    long lingerMs = node.longValue("lingerMs", DEFAULT_LINGER_MS, 0, 5_000);
    long requestTimeoutMs = node.longValue("requestTimeoutMs", DEFAULT_REQUEST_TIMEOUT_MS, 100, 300_000);
    long deliveryTimeoutMs = node.longValue("deliveryTimeoutMs",
        Math.max(DEFAULT_DELIVERY_TIMEOUT_MS, lingerMs + requestTimeoutMs), 100, 3_600_000);
    if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
      throw new ConfigException(node.path("deliveryTimeoutMs"), "must be at least lingerMs + requestTimeoutMs ("
          + (lingerMs + requestTimeoutMs) + "), as Kafka requires, got " + deliveryTimeoutMs);
    }
    int batchBytes = node.intValue("batchBytes", DEFAULT_BATCH_BYTES, 0, 16 << 20);
    String compression = node.oneOf("compression", DEFAULT_COMPRESSION, COMPRESSIONS);
    int maxRecordBytes = node.intValue("maxRecordBytes", DEFAULT_MAX_RECORD_BYTES, 1024, LIMIT_RECORD_BYTES);
    String path = node.path();
    refuseProperties(connection, path);
    Map<String, Object> owned = new LinkedHashMap<>();
    owned.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    owned.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    owned.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    owned.put(ProducerConfig.ACKS_CONFIG, "all");
    // Up to 5 is what idempotence allows while still keeping each partition's order across retries.
    owned.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    owned.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE));
    owned.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, "false");
    owned.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(MAX_BLOCK_CAP_MS, requestTimeoutMs)));
    owned.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(lingerMs));
    owned.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(batchBytes));
    owned.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    owned.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeoutMs));
    owned.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeoutMs));
    owned.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes + FRAMING_ALLOWANCE_BYTES));
    Map<String, Object> properties = connection.clientProperties(owned, path);
    Object userClientId = properties.remove(ProducerConfig.CLIENT_ID_CONFIG);
    String clientId = userClientId != null ? userClientId.toString() : "switchboard-" + node.string("id", "kafka");
    validate(properties, node);
    return new KafkaTargetOptions(topic, connection, RecordKeys.from(node, "key"), header,
        node.intValue("maxBatch", DEFAULT_MAX_BATCH, 1, 10_000), lingerMs, batchBytes, compression,
        deliveryTimeoutMs, requestTimeoutMs, maxRecordBytes, clientId, properties);
  }

  /**
   * How long the producer's {@code send} may block (Kafka's {@code max.block.ms}, 60 s by default) waiting for the
   * topic's metadata or for buffer space: {@code requestTimeoutMs}, at most {@value #MAX_BLOCK_CAP_MS} ms. Sends run
   * on a Vert.x worker thread, never an event loop, but one at a time: a short bound keeps a missing topic or an
   * unreachable cluster from holding that thread, and the records queued behind it, for a minute per record.
   */
  public long maxBlockMs() {
    return Math.min(MAX_BLOCK_CAP_MS, requestTimeoutMs);
  }

  /** The producer properties of one dispatcher instance's producer, whose {@code client.id} is {@code clientId}. */
  public Map<String, Object> producerConfig(String instanceClientId) {
    Map<String, Object> config = new LinkedHashMap<>(producerProperties);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, instanceClientId);
    return config;
  }

  /** Everything but the SASL password and the raw producer properties, so the options can be logged as a whole. */
  @Override
  public String toString() {
    return "KafkaTargetOptions[topic=" + topic + ", connection=" + connection + ", key=" + keys.describe()
        + ", idempotencyHeader=" + idempotencyHeader + ", maxBatch=" + maxBatch + ", lingerMs=" + lingerMs
        + ", batchBytes=" + batchBytes + ", compression=" + compression + ", deliveryTimeoutMs=" + deliveryTimeoutMs
        + ", requestTimeoutMs=" + requestTimeoutMs + ", maxRecordBytes=" + maxRecordBytes + ", clientId=" + clientId
        + "]";
  }

  /** A property set by one of this target's keys, or one that would break it, is refused with what to do instead. */
  private static void refuseProperties(KafkaConnection connection, String path) {
    String prefix = path + ".properties.";
    for (String name : connection.properties().keySet()) {
      String ownKey = SET_BY_OWN_KEYS.get(name);
      if (ownKey != null) {
        throw new ConfigException(prefix + name, "is set by this target's key " + ownKey + "; use that instead");
      }
      String refused = REFUSED.get(name);
      if (refused != null) {
        throw new ConfigException(prefix + name, refused);
      }
    }
  }

  /**
   * Checks every value against the producer's own config definition now (a misspelt number would otherwise fail only
   * when the first producer is built), without building a producer and without logging the properties.
   */
  private static void validate(Map<String, Object> properties, ConfigNode node) {
    try {
      ProducerConfig.configDef().parse(properties);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new ConfigException(node.path("properties"), e.getMessage());
    }
  }

  private static Set<String> allKeys() {
    Set<String> own = new HashSet<>(OWN_KEYS);
    own.addAll(KafkaConnection.KEYS);
    return TargetConfig.keysWith(own);
  }
}
