package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.config.DeadLetterConfig;
import io.switchboard.dlq.DeadLetterStore;
import io.switchboard.files.JsonLines;
import io.switchboard.files.JsonLinesWriter;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single writer and the one owner of this node's dead-letter queue: one JSON line per dead letter, fsync'd in
 * small batches, rotated by size. Replies to the sender once the line is durable, and only then settles the
 * event with its source ({@link DeadLetter#settleParts()}): the one place a dead letter is settled. Alone uses the {@link DeadLetterStore} over its directory and
 * answers everyone else's DLQ requests over the bus ({@link DeadLetterQueries}).
 */
public final class DeadLetterWriterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriterVerticle.class);
  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private final DeadLetterConfig settings;
  private JsonLinesWriter writer;
  private MessageConsumer<DeadLetter> consumer;

  private DeadLetterQueries queries;
  private final AtomicLong depth = new AtomicLong();
  private long depthTimer = -1;

  public DeadLetterWriterVerticle(DeadLetterConfig settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** DLQ depth (entries not successfully replayed), refreshed off the event loop: scans are blocking. */
  private void refreshDepth() {
    queries.depth()
        .onSuccess(depth::set)
        .onFailure(e -> LOG.warn("cannot compute DLQ depth: {}", e.toString()));
  }

  @Override
  public Future<?> start() {
    queries = new DeadLetterQueries(context, new DeadLetterStore(Path.of(settings.dir())));
    writer = new JsonLinesWriter(vertx, this::newFile, settings.fsyncBatch(), settings.fsyncIntervalMillis(), true,
        settings.rotateBytes());
    PipelineMetrics.gauge("switchboard.deadletters.depth", "Dead letters not yet successfully replayed", "dir",
        settings.dir(), depth::get);
    refreshDepth();
    depthTimer = vertx.setPeriodic(10_000, id -> refreshDepth());
    return writer.open().compose(v -> {
      consumer = vertx.eventBus().localConsumer(Addresses.DEAD_LETTER, msg -> {
        DeadLetter letter = msg.body();
        PipelineMetrics.deadLettered(letter.stage().name().toLowerCase(java.util.Locale.ROOT), letter.reason().code());
        writer.append(line(letter)).onComplete(ar -> {
          if (ar.failed()) {
            LOG.error("dead letter for event [{}] could not be written", letter.eventId(), ar.cause());
            msg.fail(500, "dead letter write failed: " + ar.cause().getMessage());
            return;
          }
          if (letter.settlesAnEvent()) {
            Settlements.report(vertx, letter.ticket(), letter.settleParts(), Settlement.Outcome.DEAD_LETTERED);
          }
          msg.reply(null);
        });
      });
      return Future.all(consumer.completion(), queries.register(vertx.eventBus()));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(depthTimer);
    return Future.all(consumer.unregister(), queries.unregister()).compose(v -> writer.close());
  }

  private Path newFile() {
    return Path.of(settings.dir(), "deadletters-" + FILE_STAMP.format(Instant.now()) + ".jsonl");
  }

  static Buffer line(DeadLetter d) {
    Buffer out = Buffer.buffer(384 + d.payload().length())
        .appendString("{\"id\":").appendString(JsonLines.quote(UUID.randomUUID().toString()))
        .appendString(",\"time\":").appendString(JsonLines.quote(Instant.ofEpochMilli(d.createdAt()).toString()))
        .appendString(",\"stage\":").appendString(JsonLines.quote(d.stage().name().toLowerCase(java.util.Locale.ROOT)))
        .appendString(",\"reason\":").appendString(JsonLines.quote(d.reason().code()))
        .appendString(",\"error\":").appendString(JsonLines.quote(d.error()))
        .appendString(",\"target\":").appendString(JsonLines.quote(d.target()))
        .appendString(",\"attempts\":").appendString(Integer.toString(d.attempts()))
        .appendString(",\"firstAttemptAt\":").appendString(JsonLines.quote(Instant.ofEpochMilli(d.firstAttemptAt()).toString()))
        .appendString(",\"lastAttemptAt\":").appendString(JsonLines.quote(Instant.ofEpochMilli(d.lastAttemptAt()).toString()))
        .appendString(",\"eventId\":").appendString(JsonLines.quote(d.eventId()))
        .appendString(",\"conversationId\":").appendString(JsonLines.quote(d.conversationId()));
    if (d.reason() == DeadLetter.Reason.UNPARSEABLE_JSON) {
      // Not JSON, so it cannot be embedded as a value: keep the exact text as a string.
      out.appendString(",\"payloadText\":").appendString(JsonLines.quote(d.payload().toString()));
    } else {
      out.appendString(",\"payload\":").appendBuffer(JsonLines.oneLine(d.payload()));
    }
    return out.appendString("}");
  }
}
