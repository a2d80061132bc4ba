package io.switchboard.bench.jmh;

import io.switchboard.message.ProcessedEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Named EventBridge patterns in the style of the README's target examples, for a filter of any size. Pattern
 * {@code i} follows one of six templates in turn, its values drawn from the events it will see (their queues,
 * agents, caller numbers and division) or made up, so that a large filter is a mix of patterns that select a
 * queue, an agent or a number range, a few that match many events and many that match none:
 * <ol start="0">
 *   <li>voice and chat, not in one queue (the README's {@code crm} target);</li>
 *   <li>the queue legs ({@code detail-type} suffixes) of one queue;</li>
 *   <li>conversations closing or abandoned in a division;</li>
 *   <li>voice or chat outside a queue with priority at least some threshold or an enterprise tier attribute (the
 *       README's filter example, with {@code numeric}, {@code anything-but}, {@code $or} and
 *       {@code equals-ignore-case});</li>
 *   <li>one agent's segments ({@code switchboard.eventType} and {@code userId});</li>
 *   <li>callers whose number starts with a prefix.</li>
 * </ol>
 */
public final class FilterPatterns {

  private final List<String> queues;
  private final List<String> agents;
  private final String division;

  /** Collects the values patterns will name from the events they will be matched against. */
  public FilterPatterns(List<ProcessedEvent> events) {
    Set<String> queueIds = new LinkedHashSet<>();
    Set<String> userIds = new LinkedHashSet<>();
    String divisionId = null;
    for (ProcessedEvent processed : events) {
      JsonObject body = processed.event().eventBody();
      addIfString(queueIds, body.getValue("queueId"));
      addIfString(userIds, body.getValue("userId"));
      if (divisionId == null && body.getValue("divisionId") instanceof String d) {
        divisionId = d;
      }
    }
    if (queueIds.isEmpty() || userIds.isEmpty() || divisionId == null) {
      throw new IllegalStateException("events name no queue, agent or division");
    }
    this.queues = List.copyOf(queueIds);
    this.agents = List.copyOf(userIds);
    this.division = divisionId;
  }

  /** A target's {@code filter} object: {@code {"patterns": {"p0": ..., "p<n-1>": ...}}}. */
  public JsonObject filter(int count) {
    JsonObject patterns = new JsonObject();
    for (int i = 0; i < count; i++) {
      patterns.put("p" + i, pattern(i));
    }
    return new JsonObject().put("patterns", patterns);
  }

  /** Pattern {@code i}, of template {@code i % 6}. */
  public JsonObject pattern(int i) {
    String queue = queues.get(i % queues.size());
    switch (i % 6) {
      case 0:
        return new JsonObject()
            .put("conversation", new JsonObject().put("channels", new JsonArray().add("voice").add("chat")))
            .put("$or", new JsonArray()
                .add(body("queueId", new JsonArray().add(new JsonObject().put("exists", false))))
                .add(body("queueId", anythingBut(queue))));
      case 1:
        return body("queueId", new JsonArray().add(queue))
            .put("detail-type", new JsonArray()
                .add(new JsonObject().put("suffix", ".acd.start"))
                .add(new JsonObject().put("suffix", ".acd.end")));
      case 2:
        return body("divisionId", new JsonArray().add(i < 6 ? division : madeUp("division", i)))
            .put("conversation", new JsonObject()
                .put("state", new JsonArray().add("closed").add("abandoned")));
      case 3:
        JsonObject pattern = body("queueId", anythingBut(queue));
        pattern.getJsonObject("detail").getJsonObject("eventBody")
            .put("mediaType", new JsonArray().add("VOICE").add("CHAT"));
        return pattern.put("$or", new JsonArray()
            .add(body("routingPriority", new JsonArray().add(new JsonObject()
                .put("numeric", new JsonArray().add(">=").add(50 + i)))))
            .add(new JsonObject().put("conversation", new JsonObject().put("attributes", new JsonObject()
                .put("tier", new JsonArray().add(new JsonObject().put("equals-ignore-case", "enterprise")))))));
      case 4:
        return body("userId", new JsonArray().add(agents.get(i % agents.size())))
            .put("switchboard", new JsonObject()
                .put("eventType", new JsonArray().add("user.start").add("user.end").add("acw")));
      default:
        return body("ani", new JsonArray().add(new JsonObject()
            .put("prefix", "tel:+1555" + String.format("%03d", (i * 37) % 1000))));
    }
  }

  private static JsonObject body(String field, JsonArray values) {
    return new JsonObject().put("detail", new JsonObject()
        .put("eventBody", new JsonObject().put(field, values)));
  }

  private static JsonArray anythingBut(String value) {
    return new JsonArray().add(new JsonObject().put("anything-but", new JsonArray().add(value)));
  }

  private static String madeUp(String kind, int i) {
    return UUID.nameUUIDFromBytes((kind + i).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static void addIfString(Set<String> out, Object value) {
    if (value instanceof String s) {
      out.add(s);
    }
  }
}
