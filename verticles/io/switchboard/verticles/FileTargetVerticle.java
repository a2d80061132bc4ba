package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.config.FileTargetOptions;
import io.switchboard.files.JsonLinesWriter;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code file} target: one JSON line per processed event, holding the original envelope verbatim,
 * the conversation snapshot and the idempotency key. Usable as an audit log (set {@code fsync}).
 */
public final class FileTargetVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(FileTargetVerticle.class);

  private final String targetId;
  private final FileTargetOptions options;
  private final int settlementParts;
  private JsonLinesWriter writer;
  private MessageConsumer<ProcessedEvent> consumer;

  /** @param settlementParts how many targets each event is dispatched to (each reports one part) */
  public FileTargetVerticle(String targetId, FileTargetOptions options, int settlementParts) {
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.options = Objects.requireNonNull(options, "options");
    this.settlementParts = settlementParts;
  }

  @Override
  public Future<?> start() {
    writer = new JsonLinesWriter(vertx, () -> Path.of(options.path()), options.flushEvents(), options.flushMillis(),
        options.fsync(), Long.MAX_VALUE);
    AtomicInteger queued = PipelineMetrics.gaugeInt("switchboard.target.queue.depth",
        "Events waiting to be written by a target", "target", targetId);
    return writer.open().compose(v -> {
      consumer = vertx.eventBus().consumer(Addresses.dispatch(targetId), msg -> {
        deliver(msg.body());
        queued.set(writer.pending());
      });
      return consumer.completion();
    });
  }

  @Override
  public Future<?> stop() {
    return consumer.unregister().compose(v -> writer.close());
  }

  private void deliver(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    writer.append(line(processed)).onComplete(ar -> {
      if (ar.succeeded()) {
        PipelineMetrics.delivered(targetId, event.ingestedAt());
        Settlements.report(vertx, event.ticket(), settlementParts, Settlement.Outcome.DELIVERED);
        return;
      }
      LOG.error("write to target [{}] failed for event [{}]", targetId, event.key(), ar.cause());
      DeadLetter letter = DeadLetters.of(event, DeadLetter.Stage.DISPATCH, DeadLetter.Reason.INTERNAL_ERROR,
          "file write failed: " + ar.cause());
      DeadLetters.send(vertx, new DeadLetter(letter.ticket(), letter.stage(), letter.reason(), letter.error(),
              targetId, letter.eventId(), letter.conversationId(), 1, letter.firstAttemptAt(),
              letter.lastAttemptAt(), letter.createdAt(), letter.payload()))
          .onComplete(dl -> Settlements.report(vertx, event.ticket(), settlementParts,
              Settlement.Outcome.DEAD_LETTERED));
    });
  }

  private Buffer line(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    return Buffer.buffer(256 + event.payload().length() + processed.snapshot().length())
        .appendString("{\"target\":").appendString(JsonLines.quote(targetId))
        .appendString(",\"eventId\":").appendString(JsonLines.quote(event.eventId()))
        .appendString(",\"idempotencyKey\":").appendString(JsonLines.quote(event.fingerprint()))
        .appendString(",\"conversationId\":").appendString(JsonLines.quote(event.conversationId()))
        .appendString(",\"eventType\":").appendString(JsonLines.quote(event.eventType()))
        .appendString(",\"eventTime\":").appendString(Long.toString(event.eventTime()))
        .appendString(",\"late\":").appendString(Boolean.toString(event.late()))
        .appendString(",\"state\":").appendString(JsonLines.quote(processed.state()))
        .appendString(",\"source\":").appendString(JsonLines.quote(event.source()))
        .appendString(",\"ingestedAt\":").appendString(Long.toString(event.ingestedAt()))
        .appendString(",\"processedAt\":").appendString(Long.toString(processed.processedAt()))
        .appendString(",\"conversation\":").appendBuffer(processed.snapshot())
        .appendString(",\"event\":").appendBuffer(JsonLines.oneLine(event.payload()))
        .appendString("}");
  }
}
