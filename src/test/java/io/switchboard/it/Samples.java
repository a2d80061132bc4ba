package io.switchboard.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The sample payloads copied into src/test/resources/samples. */
public final class Samples {

  public static final String VOICE_ID = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";
  public static final String MULTI_ID = "9312dbdd-99ad-4710-8139-538c8c0702ed";

  public static final List<String> VOICE = List.of("eb-voice-01-customer-start.json", "eb-voice-02-flow-start.json",
      "eb-voice-03-flow-end.json", "eb-voice-04-acd-start.json", "eb-voice-05-acd-end.json",
      "eb-voice-06-user-start.json", "eb-voice-07-attributes.json", "eb-voice-08-customer-end.json",
      "eb-voice-09-user-end.json", "eb-voice-10-acw.json");

  public static final List<String> MULTI = List.of("eb-multi-01-message-customer-start.json",
      "eb-multi-02-message-acd-start.json", "eb-multi-03-message-acd-end.json", "eb-multi-04-message-user-start.json",
      "eb-multi-05-message-user-end.json", "eb-multi-06-callback-acd-start.json", "eb-multi-07-callback-acd-end.json",
      "eb-multi-08-callback-user-start.json", "eb-multi-09-callback-user-end.json", "eb-multi-10-callback-acw.json",
      "eb-multi-11-message-customer-end.json");

  private Samples() {
  }

  public static Buffer bytes(String name) {
    try (InputStream in = Samples.class.getClassLoader().getResourceAsStream("samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject json(String name) {
    return bytes(name).toJsonObject();
  }

  /** The same event re-published by its producer: identical content under a new envelope id. */
  public static Buffer republished(String name) {
    return json(name).put("id", UUID.randomUUID().toString()).toBuffer();
  }

  public static List<String> all() {
    List<String> all = new ArrayList<>(VOICE);
    all.addAll(MULTI);
    return all;
  }
}
