package io.switchboard.dispatch.kafka;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.Objects;
import java.util.Set;

/**
 * How a {@code kafka} target picks each record's key. Kafka's default partitioner hashes the key onto a partition, so
 * everything sharing a key lands in one partition, in the order written, for as long as the topic keeps its partition
 * count. The key is also the target's ordering key ({@code TargetTypes} registers it so): the dispatcher never has two
 * records of one key in flight, which is what makes the partition's order the events' order, retries included.
 *
 * <ul>
 *   <li>{@code "conversation"} (default): the conversation id.</li>
 *   <li>{@code {"pointer": "/detail/eventBody/queueId"}}: the value at a JSON pointer into the event as received (an
 *       envelope's fields start at {@code /detail}); strings, numbers and booleans are used as text, anything else
 *       (absent, null, empty, an object) falls back to the conversation id. A conversation's events may then use two
 *       keys (its queue's and, for events without a queue, its own), and are ordered per key, not across the two.</li>
 * </ul>
 * Unlike Kinesis partition keys, Kafka keys have no length limit, so values are used verbatim, never hashed:
 * consumers can read the conversation (or queue) id straight from the key.
 */
public sealed interface RecordKeys {

  /** The key of {@code event}'s record: never null or empty. Pure: sender and owning dispatcher both compute it. */
  String keyOf(ProcessedEvent event);

  /** The strategy as written in the config, for logs. */
  String describe();

  /** The conversation id. */
  record ByConversation() implements RecordKeys {
    @Override
    public String keyOf(ProcessedEvent event) {
      return event.event().conversationId();
    }

    @Override
    public String describe() {
      return "conversation";
    }
  }

  /** The scalar at a JSON pointer into the received event, else the conversation id. */
  record ByPointer(String pointer) implements RecordKeys {

    public ByPointer {
      Objects.requireNonNull(pointer, "pointer");
      JsonPointer.from(pointer); // fails fast on a malformed pointer
    }

    @Override
    public String keyOf(ProcessedEvent event) {
      PipelineEvent e = event.event();
      Object found;
      try {
        // Parsed per call: the pipeline keeps only the eventBody parsed, and the pointer may reach outside it.
        found = JsonPointer.from(pointer).queryJson(new JsonObject(e.payload()));
      } catch (RuntimeException notJsonObject) {
        found = null;
      }
      boolean scalar = found instanceof String || found instanceof Number || found instanceof Boolean;
      return scalar && !found.toString().isEmpty() ? found.toString() : e.conversationId();
    }

    @Override
    public String describe() {
      return "{pointer " + pointer + "}";
    }
  }

  /** Reads {@code key}: {@code "conversation"} or {@code {"pointer": "/detail/..."}}; errors name the JSON path. */
  static RecordKeys from(ConfigNode target, String key) {
    Object raw = target.json().getValue(key);
    if (raw == null || "conversation".equals(raw)) {
      return new ByConversation();
    }
    if (!(raw instanceof JsonObject)) {
      throw new ConfigException(target.path(key), "must be \"conversation\" or {\"pointer\": \"/detail/...\"}");
    }
    ConfigNode node = target.object(key).allowOnly(Set.of("pointer"));
    String pointer = node.requiredString("pointer");
    if (!pointer.startsWith("/")) {
      throw new ConfigException(node.path("pointer"),
          "must be a JSON pointer starting with '/', e.g. /detail/eventBody/queueId");
    }
    try {
      return new ByPointer(pointer);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(node.path("pointer"), "is not a valid JSON pointer (RFC 6901): " + e.getMessage());
    }
  }
}
