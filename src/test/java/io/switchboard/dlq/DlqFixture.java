package io.switchboard.dlq;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * Writes DLQ files the way {@code DeadLetterWriterVerticle} does: same file names, same line layout (its
 * {@code line(DeadLetter)} is package-private in another package, so the format is reproduced here verbatim).
 */
final class DlqFixture {

  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private final Path dir;
  private Path current;
  private int seq;

  DlqFixture(Path dir) {
    this.dir = dir;
  }

  /** Starts a new file stamped {@code createdAt}, as the writer does on open and rotation. */
  Path rotate(Instant createdAt) {
    current = dir.resolve("deadletters-" + FILE_STAMP.format(createdAt) + ".jsonl");
    write(current, "");
    return current;
  }

  Path current() {
    return current;
  }

  /** Appends {@code letter} as one line with a fresh id; returns the id. */
  String append(DeadLetter letter) {
    String id = UUID.randomUUID().toString();
    appendRaw(line(id, letter) + "\n");
    return id;
  }

  /** Appends text as it is (no newline added), e.g. the torn remains of a line. */
  void appendRaw(String text) {
    write(current, text);
  }

  /** A dispatch failure after {@code attempts} attempts, created {@code secondsAfterT0} after {@link #T0}. */
  DeadLetter dispatchFailure(String target, String conversationId, String payload, int secondsAfterT0) {
    long at = T0.plusSeconds(secondsAfterT0).toEpochMilli();
    return new DeadLetter(Ticket.NONE, DeadLetter.Stage.DISPATCH, DeadLetter.Reason.RETRIES_EXHAUSTED,
        "HTTP 503 from " + target, target, "evt-" + (++seq), conversationId, 5, at - 60_000, at - 1_000, at,
        Buffer.buffer(payload), 0);
  }

  /** A letter with everything chosen by the caller. */
  DeadLetter letter(DeadLetter.Stage stage, DeadLetter.Reason reason, String target, String eventId,
                    String conversationId, int secondsAfterT0, String payload) {
    long at = T0.plusSeconds(secondsAfterT0).toEpochMilli();
    return new DeadLetter(Ticket.NONE, stage, reason, "failed: " + reason.code(), target, eventId, conversationId, 1,
        at, at, at, Buffer.buffer(payload), 0);
  }

  /** The writer's line layout, field for field. */
  static String line(String id, DeadLetter d) {
    StringBuilder out = new StringBuilder()
        .append("{\"id\":").append(quote(id))
        .append(",\"time\":").append(quote(Instant.ofEpochMilli(d.createdAt()).toString()))
        .append(",\"stage\":").append(quote(d.stage().name().toLowerCase(Locale.ROOT)))
        .append(",\"reason\":").append(quote(d.reason().code()))
        .append(",\"error\":").append(quote(d.error()))
        .append(",\"target\":").append(quote(d.target()))
        .append(",\"attempts\":").append(d.attempts())
        .append(",\"firstAttemptAt\":").append(quote(Instant.ofEpochMilli(d.firstAttemptAt()).toString()))
        .append(",\"lastAttemptAt\":").append(quote(Instant.ofEpochMilli(d.lastAttemptAt()).toString()))
        .append(",\"eventId\":").append(quote(d.eventId()))
        .append(",\"conversationId\":").append(quote(d.conversationId()));
    if (d.reason() == DeadLetter.Reason.UNPARSEABLE_JSON) {
      out.append(",\"payloadText\":").append(quote(d.payload().toString()));
    } else {
      out.append(",\"payload\":").append(oneLine(d.payload()));
    }
    return out.append("}").toString();
  }

  private static String oneLine(Buffer json) {
    byte[] bytes = json.getBytes();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = ' ';
      }
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String quote(String value) {
    return value == null ? "null" : Json.encode(value);
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
