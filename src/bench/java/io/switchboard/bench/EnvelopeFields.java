package io.switchboard.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The three envelope fields the benchmark judges a delivery by, read with a streaming parser that skips
 * everything else: no tree is built, so the sink can afford it on every request.
 *
 * @param id        the envelope {@code id}; {@code null} when absent
 * @param sentAt    the generator's {@code x-sent-at} stamp (epoch ms); {@link #NONE} when absent
 * @param eventTime {@code detail.eventBody.eventTime} (epoch ms, or an ISO-8601 instant); {@link #NONE} when absent
 */
public record EnvelopeFields(String id, long sentAt, long eventTime) {

  /** Stands for a missing number. */
  public static final long NONE = Long.MIN_VALUE;

  private static final JsonFactory JSON = new JsonFactory();

  /** @throws IllegalArgumentException when the body is not a JSON object */
  public static EnvelopeFields scan(Buffer body) {
    try (JsonParser parser = JSON.createParser(body.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      String id = null;
      long sentAt = NONE;
      long eventTime = NONE;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (Send.SENT_AT_FIELD.equals(name) && value.isNumeric()) {
          sentAt = parser.getLongValue();
        } else if ("id".equals(name) && value == JsonToken.VALUE_STRING) {
          id = parser.getText();
        } else if ("detail".equals(name) && value == JsonToken.START_OBJECT) {
          eventTime = eventTimeIn(parser);
        } else {
          parser.skipChildren();
        }
        // The generator writes x-sent-at and id before detail, so a full envelope stops here, unread tail and all.
        if (id != null && sentAt != NONE && eventTime != NONE) {
          break;
        }
      }
      return new EnvelopeFields(id, sentAt, eventTime);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /** Reads the rest of {@code detail} (the parser is just past its opening brace) for eventBody.eventTime. */
  private static long eventTimeIn(JsonParser parser) throws IOException {
    long eventTime = NONE;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("eventBody".equals(name) && value == JsonToken.START_OBJECT) {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken fieldValue = parser.nextToken();
          if ("eventTime".equals(field)) {
            eventTime = timeOf(parser, fieldValue);
          } else {
            parser.skipChildren();
          }
        }
      } else {
        parser.skipChildren();
      }
    }
    return eventTime;
  }

  private static long timeOf(JsonParser parser, JsonToken token) throws IOException {
    if (token.isNumeric()) {
      return parser.getLongValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return Instant.parse(parser.getText()).toEpochMilli();
      } catch (DateTimeParseException e) {
        return NONE;
      }
    }
    return NONE;
  }
}
