package io.switchboard.dlq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Turns one DLQ line into an entry, or says it is corrupt. Streams over the line so that {@code payload} is cut
 * out of the raw bytes instead of being decoded and re-encoded.
 */
final class EntryParser {

  /**
   * The writer embeds whatever ingest accepted, so the reader must not be stricter than any parser upstream: the
   * line length is already bounded by the scanner, and skipping nested values is iterative in Jackson.
   */
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNumberLength(Integer.MAX_VALUE)
          .maxNestingDepth(Integer.MAX_VALUE)
          .build())
      .build();

  private EntryParser() {
  }

  /**
   * The entry on {@code bytes[0..length)}, or {@code null} if the line is not one complete dead letter: not one
   * JSON object, a field twice or of the wrong type, {@code id}/{@code time}/{@code stage}/{@code reason} missing,
   * or not exactly one of {@code payload}/{@code payloadText}. Unknown fields are ignored, for newer writers.
   */
  static DeadLetterEntry parse(byte[] bytes, int length, String file, long line) {
    try (JsonParser p = JSON.createParser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields f = new Fields();
      Set<String> seen = new HashSet<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        if (!seen.add(name)) {
          return null;
        }
        p.nextToken();
        read(p, name, f, bytes);
      }
      if (p.nextToken() != null || f.id == null || f.time == null || f.stage == null || f.reason == null
          || (f.payload == null) == (f.payloadText == null)) {
        return null;
      }
      return new DeadLetterEntry(f.id, f.time, f.stage, f.reason, f.error, f.target, f.attempts, f.firstAttemptAt,
          f.lastAttemptAt, f.eventId, f.conversationId, f.payload, f.payloadText, file, line, null);
    } catch (IOException | DateTimeException e) {
      return null;
    }
  }

  private static void read(JsonParser p, String name, Fields f, byte[] bytes) throws IOException {
    switch (name) {
      case "id" -> f.id = string(p);
      case "time" -> f.time = instant(p);
      case "stage" -> f.stage = string(p);
      case "reason" -> f.reason = string(p);
      case "error" -> f.error = string(p);
      case "target" -> f.target = string(p);
      case "attempts" -> {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
          throw new JsonParseException(p, "attempts must be an integer");
        }
        f.attempts = p.getIntValue();
      }
      case "firstAttemptAt" -> f.firstAttemptAt = instant(p);
      case "lastAttemptAt" -> f.lastAttemptAt = instant(p);
      case "eventId" -> f.eventId = string(p);
      case "conversationId" -> f.conversationId = string(p);
      case "payload" -> f.payload = raw(p, bytes);
      case "payloadText" -> f.payloadText = string(p);
      default -> p.skipChildren();
    }
  }

  private static String string(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> p.getText();
      case VALUE_NULL -> null;
      default -> throw new JsonParseException(p, p.currentName() + " must be a string");
    };
  }

  private static Instant instant(JsonParser p) throws IOException {
    String text = string(p);
    return text == null ? null : Instant.parse(text);
  }

  /** The current value's exact bytes, whatever its type. */
  private static String raw(JsonParser p, byte[] bytes) throws IOException {
    int start = (int) p.currentTokenLocation().getByteOffset();
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    } else {
      // Jackson reads string contents lazily; finishing the token moves the location past the closing quote.
      p.finishToken();
    }
    int end = (int) p.currentLocation().getByteOffset();
    return new String(bytes, start, end - start, StandardCharsets.UTF_8);
  }

  /** What has been read so far of one line. */
  private static final class Fields {
    String id;
    Instant time;
    String stage;
    String reason;
    String error;
    String target;
    int attempts;
    Instant firstAttemptAt;
    Instant lastAttemptAt;
    String eventId;
    String conversationId;
    String payload;
    String payloadText;
  }
}
