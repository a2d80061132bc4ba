package io.switchboard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

/**
 * The two headers the {@link BareForwarder} must send for the sink's checks, read from an EventBridge envelope
 * with one streaming pass that stops as soon as both are found: the envelope {@code id} and
 * {@code detail.eventBody.conversationId}. No tree is built, so the forwarder pays about what the sink pays per
 * request, far less than Switchboard's full parse, normalisation and schema check.
 *
 * @param id             the envelope {@code id}; {@code null} when absent
 * @param conversationId {@code detail.eventBody.conversationId}; {@code null} when absent
 */
record EnvelopeKeys(String id, String conversationId) {

  private static final JsonFactory JSON = new JsonFactory();

  /** @throws IllegalArgumentException when the body is not a JSON object */
  static EnvelopeKeys scan(Buffer body) {
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String id = null;
      String conversationId = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("id".equals(name) && value == JsonToken.VALUE_STRING) {
          id = parser.getText();
        } else if ("detail".equals(name) && value == JsonToken.START_OBJECT) {
          conversationId = conversationIdIn(parser, id != null);
        } else {
          parser.skipChildren();
        }
        // EventBridge puts id before detail, so a normal envelope stops here without reading its tail.
        if (id != null && conversationId != null) {
          break;
        }
      }
      return new EnvelopeKeys(id, conversationId);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code detail} (the parser is just past its opening brace) for eventBody.conversationId. When
   * {@code stopWhenFound}, the parser is left inside eventBody once it is found, since the caller reads no more;
   * otherwise it is left just past the end of {@code detail}, so the caller can go on looking for {@code id}.
   */
  private static String conversationIdIn(JsonParser parser, boolean stopWhenFound) throws IOException {
    String found = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("eventBody".equals(name) && value == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken fieldValue = parser.nextToken();
          if (found == null && "conversationId".equals(field) && fieldValue == JsonToken.VALUE_STRING) {
            found = parser.getText();
            if (stopWhenFound) {
              return found;
            }
          }
          parser.skipChildren();
        }
      } else {
        parser.skipChildren();
      }
    }
    return found;
  }
}
