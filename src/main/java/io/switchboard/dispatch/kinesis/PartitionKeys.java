package io.switchboard.dispatch.kinesis;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@code kinesis} target picks each record's partition key, which Kinesis MD5-hashes onto a shard. The key
 * is also the target's ordering key, so whatever shares a key is written in order and a failed record holds back
 * the later records of its key only.
 *
 * <ul>
 *   <li>{@code "conversation"} (default): the conversation id, verbatim. A conversation stays on one shard, in
 *       order, and its events spread evenly over the shards.</li>
 *   <li>{@code "queue"}: the event's queue id, or the conversation id for events without one (customer, IVR and
 *       attribute events), hashed to {@value #SHORT_HASH_HEX} hex characters. Consumers reading one queue's
 *       traffic find it on one shard; a busy queue makes a hot shard. A conversation's events then use two keys
 *       (its own and its queue's), so they are ordered per key, not across the two.</li>
 *   <li>{@code {"pointer": "/detail/eventBody/divisionId", "hash": false}}: the value at a JSON pointer into the
 *       event as received (an envelope's fields start at {@code /detail}); strings, numbers and booleans are
 *       used as text, anything else (absent, null, empty, an object) falls back to the conversation id. With
 *       {@code "hash": true} the value is hashed like the queue key.</li>
 * </ul>
 * Kinesis accepts keys of 1 to 256 characters: longer ones are always hashed.
 */
public sealed interface PartitionKeys {

  /** Longest partition key Kinesis accepts, in Unicode characters. */
  int MAX_KEY_CHARS = 256;
  /** Hex characters of a hashed key: 64 bits, ample against collisions among queues and conversations. */
  int SHORT_HASH_HEX = 16;

  /** The partition key of {@code event}: never null or empty, at most {@link #MAX_KEY_CHARS} characters. */
  String keyOf(ProcessedEvent event);

  /** The strategy as written in the config, for logs. */
  String describe();

  /** The conversation id. */
  record ByConversation() implements PartitionKeys {
    @Override
    public String keyOf(ProcessedEvent event) {
      return fit(event.event().conversationId());
    }

    @Override
    public String describe() {
      return "conversation";
    }
  }

  /** The queue id, else the conversation id, hashed. */
  record ByQueue() implements PartitionKeys {
    @Override
    public String keyOf(ProcessedEvent event) {
      PipelineEvent e = event.event();
      String queue = e.queueId();
      return shortHash(queue != null && !queue.isEmpty() ? queue : e.conversationId());
    }

    @Override
    public String describe() {
      return "queue";
    }
  }

  /** The scalar at a JSON pointer into the received event, else the conversation id. */
  record ByPointer(String pointer, boolean hash) implements PartitionKeys {

    public ByPointer {
      Objects.requireNonNull(pointer, "pointer");
      JsonPointer.from(pointer); // fails fast on a malformed pointer
    }

    @Override
    public String keyOf(ProcessedEvent event) {
      PipelineEvent e = event.event();
      String value = scalarAt(e);
      if (value == null || value.isEmpty()) {
        return fit(e.conversationId());
      }
      return hash ? shortHash(value) : fit(value);
    }

    private String scalarAt(PipelineEvent e) {
      Object found;
      try {
        // Parsed per call: the pipeline keeps only the eventBody parsed, and the pointer may reach outside it.
        found = JsonPointer.from(pointer).queryJson(new JsonObject(e.payload()));
      } catch (RuntimeException notJsonObject) {
        return null;
      }
      return found instanceof String || found instanceof Number || found instanceof Boolean ? found.toString() : null;
    }

    @Override
    public String describe() {
      return "{pointer " + pointer + (hash ? ", hashed}" : "}");
    }
  }

  /** Reads {@code partitionKey}: {@code "conversation"}, {@code "queue"} or {@code {"pointer": ..., "hash": ...}}. */
  static PartitionKeys from(ConfigNode target, String key) {
    Object raw = target.json().getValue(key);
    if (raw == null || "conversation".equals(raw)) {
      return new ByConversation();
    }
    if ("queue".equals(raw)) {
      return new ByQueue();
    }
    if (!(raw instanceof JsonObject)) {
      throw new ConfigException(target.path(key), "must be \"conversation\", \"queue\" or {\"pointer\": \"/detail/...\"}");
    }
    ConfigNode node = target.object(key).allowOnly(Set.of("pointer", "hash"));
    String pointer = node.requiredString("pointer");
    if (!pointer.startsWith("/")) {
      throw new ConfigException(node.path("pointer"), "must be a JSON pointer starting with '/', e.g. /detail/eventBody/queueId");
    }
    try {
      return new ByPointer(pointer, node.bool("hash", false));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(node.path("pointer"), "is not a valid JSON pointer (RFC 6901): " + e.getMessage());
    }
  }

  /** The first {@value #SHORT_HASH_HEX} hex characters of the SHA-256 of {@code value}. */
  static String shortHash(String value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, SHORT_HASH_HEX / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** {@code key}, or its hash when Kinesis would refuse it (empty or too long). */
  static String fit(String key) {
    return !key.isEmpty() && key.codePointCount(0, key.length()) <= MAX_KEY_CHARS ? key : shortHash(key);
  }
}
