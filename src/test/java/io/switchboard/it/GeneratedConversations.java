package io.switchboard.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Voice conversations cloned from the ten {@code eb-voice-*} samples: each gets its own conversation id, envelope
 * ids and event times (so neither dedup nor the state machine sees a repeat) and one of a few queue ids, so
 * per-queue partitioning has several keys to spread. Deterministic: the same {@code seed} gives the same events.
 */
public final class GeneratedConversations {

  public static final String SAMPLE_QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";

  private GeneratedConversations() {
  }

  /** {@code count} conversations, each as its ten envelopes in eventTime order. */
  public static List<JsonArray> voice(String seed, int count, int queues) {
    List<String> templates = Samples.VOICE.stream().map(s -> Samples.bytes(s).toString(StandardCharsets.UTF_8)).toList();
    List<JsonArray> conversations = new ArrayList<>(count);
    for (int c = 0; c < count; c++) {
      String conversation = uuid(seed + "/conversation/" + c);
      String queue = uuid(seed + "/queue/" + (c % queues));
      JsonArray events = new JsonArray();
      for (int e = 0; e < templates.size(); e++) {
        JsonObject envelope = new JsonObject(templates.get(e).replace(Samples.VOICE_ID, conversation)
            .replace(SAMPLE_QUEUE, queue));
        envelope.put("id", uuid(seed + "/event/" + c + "/" + e));
        JsonObject body = envelope.getJsonObject("detail").getJsonObject("eventBody");
        // A minute apart per conversation: times stay realistic and distinct, order within one stays the samples'.
        body.put("eventTime", body.getLong("eventTime") + 60_000L * c);
        events.add(envelope);
      }
      conversations.add(events);
    }
    return conversations;
  }

  private static String uuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
