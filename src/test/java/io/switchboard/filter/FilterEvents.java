package io.switchboard.filter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Sample envelopes from src/test/resources/samples, a hand-made snapshot, and filters built from JSON text. */
final class FilterEvents {

  static final String SUPPORT_QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  /** A queue that appears in no sample: the README example's "Internal Operations". */
  static final String INTERNAL_OPS_QUEUE = "5d1e0c2a-7f3b-4f8e-9a61-0b2c3d4e5f60";

  private FilterEvents() {
  }

  static Buffer sample(String name) {
    try (InputStream in = FilterEvents.class.getClassLoader().getResourceAsStream("samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the state stage would hold for the voice call while it waits in queue Support. */
  static JsonObject queuedSnapshot() {
    return new JsonObject()
        .put("state", "queued")
        .put("channels", new JsonArray().add("voice"))
        .put("queues", new JsonArray().add(SUPPORT_QUEUE))
        .put("attributes", new JsonObject().put("tier", "Standard"));
  }

  static String input(Buffer envelope, JsonObject snapshot, String eventType, boolean late) {
    return FilterInput.compose(envelope, snapshot.toBuffer(), eventType, late);
  }

  static String input(String sample, JsonObject snapshot, String eventType) {
    return input(sample(sample), snapshot, eventType, false);
  }

  /** The voice acd.start with the queued snapshot: the event most tests filter. */
  static String acdStart() {
    return input("eb-voice-04-acd-start.json", queuedSnapshot(), "acd.start");
  }

  /** A sample with fields of {@code detail.eventBody} replaced, to cover values the samples lack. */
  static Buffer withEventBody(String sample, JsonObject changes) {
    JsonObject envelope = sample(sample).toJsonObject();
    envelope.getJsonObject("detail").getJsonObject("eventBody").mergeIn(changes);
    return envelope.toBuffer();
  }

  static EventFilter filter(String filterJson) {
    return EventFilter.from(new JsonObject(filterJson), "targets[1].filter");
  }
}
