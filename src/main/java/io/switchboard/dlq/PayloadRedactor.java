package io.switchboard.dlq;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.List;

/**
 * Blanks configured fields of a dead letter's payload before it is written ({@code deadLetters.redact}, JSON
 * pointers such as {@code /detail/eventBody/ani}), for teams that may not store customer numbers. A pointer that
 * does not exist in a payload changes nothing; input that is not JSON cannot be searched, so with redaction on only
 * its size is kept. The DLQ then holds the redacted form, and a replay sends that.
 */
public final class PayloadRedactor {

  /** What a redacted value becomes. */
  public static final String MASK = "[redacted]";
  public static final PayloadRedactor NONE = new PayloadRedactor(List.of());

  private final List<JsonPointer> pointers;

  /** @throws IllegalArgumentException naming the first pointer that is not a valid JSON pointer */
  public PayloadRedactor(List<String> pointers) {
    this.pointers = pointers.stream().map(PayloadRedactor::parse).toList();
  }

  public boolean enabled() {
    return !pointers.isEmpty();
  }

  /** The payload with every configured field that exists replaced by {@link #MASK}; unchanged when none does. */
  public Buffer redact(Buffer payload) {
    if (pointers.isEmpty()) {
      return payload;
    }
    Object json;
    try {
      json = payload.toJsonValue();
    } catch (DecodeException notJson) {
      return Buffer.buffer(new JsonObject().put("redacted", unparseable(payload)).encode());
    }
    if (!(json instanceof JsonObject) && !(json instanceof JsonArray)) {
      return payload;
    }
    boolean changed = false;
    for (JsonPointer pointer : pointers) {
      if (pointer.queryJson(json) != null) {
        pointer.writeJson(json, MASK);
        changed = true;
      }
    }
    if (!changed) {
      return payload;
    }
    return json instanceof JsonObject object ? object.toBuffer() : ((JsonArray) json).toBuffer();
  }

  /** What is kept of input that was not JSON: its size only, since its fields cannot be found. */
  public String unparseable(Buffer raw) {
    return "[redacted: " + raw.length() + " bytes of input that is not JSON]";
  }

  private static JsonPointer parse(String pointer) {
    try {
      JsonPointer parsed = JsonPointer.from(pointer);
      if (parsed.isRootPointer()) {
        throw new IllegalArgumentException("the root pointer would blank the whole payload");
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + pointer + "' is not a usable JSON pointer: " + e.getMessage(), e);
    }
  }
}
