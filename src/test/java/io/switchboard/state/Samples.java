package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Builds {@link PipelineEvent}s from the eb-* samples (as ingest would) and from scratch, for state tests. */
final class Samples {

  static final String VOICE_ID = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";
  static final String MULTI_ID = "9312dbdd-99ad-4710-8139-538c8c0702ed";

  static final List<String> VOICE = List.of(
      "eb-voice-01-customer-start.json", "eb-voice-02-flow-start.json", "eb-voice-03-flow-end.json",
      "eb-voice-04-acd-start.json", "eb-voice-05-acd-end.json", "eb-voice-06-user-start.json",
      "eb-voice-07-attributes.json", "eb-voice-08-customer-end.json", "eb-voice-09-user-end.json",
      "eb-voice-10-acw.json");

  static final List<String> MULTI = List.of(
      "eb-multi-01-message-customer-start.json", "eb-multi-02-message-acd-start.json",
      "eb-multi-03-message-acd-end.json", "eb-multi-04-message-user-start.json",
      "eb-multi-05-message-user-end.json", "eb-multi-06-callback-acd-start.json",
      "eb-multi-07-callback-acd-end.json", "eb-multi-08-callback-user-start.json",
      "eb-multi-09-callback-user-end.json", "eb-multi-10-callback-acw.json",
      "eb-multi-11-message-customer-end.json");

  private Samples() {
  }

  /** The shipped conf/lifecycle.json, read from the working tree (surefire runs in the project directory). */
  static LifecycleDefinition shipped() {
    return LifecycleDefinition.fromJson(shippedJson());
  }

  static JsonObject shippedJson() {
    try {
      return new JsonObject(Files.readString(Path.of("conf", "lifecycle.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The voice sample in its (eventTime) file order. */
  static List<PipelineEvent> voice() {
    return load(VOICE);
  }

  /** The multichannel sample sorted by eventTime (arrival order differs). */
  static List<PipelineEvent> multichannel() {
    List<PipelineEvent> events = new ArrayList<>(load(MULTI));
    events.sort(Comparator.comparingLong(PipelineEvent::eventTime));
    return events;
  }

  static List<PipelineEvent> load(List<String> files) {
    List<PipelineEvent> out = new ArrayList<>();
    for (String file : files) {
      out.add(sample(file));
    }
    return out;
  }

  /** Parses one EventBridge-enveloped sample and fills the fields the normaliser would. */
  static PipelineEvent sample(String file) {
    byte[] bytes;
    try (InputStream in = Samples.class.getResourceAsStream("/samples/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + file);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonObject envelope = new JsonObject(Buffer.buffer(bytes));
    JsonObject detail = envelope.getJsonObject("detail");
    JsonObject body = detail.getJsonObject("eventBody");
    String conversationId = body.getString("conversationId");
    String topic = detail.getString("topicName");
    String type = topic.substring(topic.indexOf(conversationId) + conversationId.length() + 1);
    String mediaType = body.getString("mediaType");
    String userId = body.getString("userId") != null ? body.getString("userId") : body.getString("answeredUserId");
    return new PipelineEvent(new Ticket("t", 0), "test", envelope.getString("id"), "fp-" + file, conversationId,
        type, topic, body.getLong("eventTime"), 0, mediaType == null ? null : mediaType.toUpperCase(Locale.ROOT),
        body.getString("participantId"), body.getString("sessionId"), body.getString("queueId"), userId, false,
        body, Buffer.buffer(bytes));
  }

  /** A synthetic event; {@code body} fields beyond the common ones may be {@code null}. */
  static PipelineEvent event(String conversationId, String type, long time, String participantId,
      String sessionId, JsonObject body) {
    JsonObject full = (body == null ? new JsonObject() : body.copy())
        .put("conversationId", conversationId).put("eventTime", time);
    return new PipelineEvent(new Ticket("t", 0), "test", java.util.UUID.randomUUID().toString(),
        "fp-" + type + time, conversationId, type, "v2.detail.events.conversation." + conversationId + "." + type,
        time, 0, full.getString("mediaType", "VOICE"), participantId, sessionId, full.getString("queueId"),
        full.getString("userId"), false, full, Buffer.buffer(full.encode()));
  }
}
