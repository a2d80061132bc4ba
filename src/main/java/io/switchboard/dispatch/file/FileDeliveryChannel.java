package io.switchboard.dispatch.file;

import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.Outcome;
import io.switchboard.files.JsonLines;
import io.switchboard.files.JsonLinesWriter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code file} target: one JSON line per event with the delivered body (the original envelope, or the
 * enriched wrapper), the conversation snapshot, the idempotency key and the lifecycle violation it was delivered
 * with ({@code null} for almost every event); usable as an audit log with {@code fsync}. A failed write is reported as a 500 so the target's retry policy applies.
 */
public final class FileDeliveryChannel implements DeliveryChannel {

  private final Vertx vertx;
  private final String targetId;
  private final FileTargetOptions options;
  private JsonLinesWriter writer;

  public FileDeliveryChannel(Vertx vertx, String targetId, FileTargetOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public int maxBatch() {
    return options.flushEvents();
  }

  @Override
  public Future<Void> start() {
    writer = new JsonLinesWriter(vertx, () -> Path.of(options.path()), options.flushEvents(), options.flushMillis(),
        options.fsync(), Long.MAX_VALUE);
    return writer.open();
  }

  @Override
  public Future<List<Outcome>> deliver(List<Delivery> batch) {
    List<Future<Outcome>> written = new ArrayList<>(batch.size());
    for (Delivery delivery : batch) {
      written.add(writer.append(line(delivery))
          .map(v -> Outcome.status(200))
          .otherwise(e -> Outcome.status(500)));
    }
    return Future.join(written).map(all -> written.stream().map(Future::result).toList());
  }

  @Override
  public Future<Void> stop() {
    return writer == null ? Future.succeededFuture() : writer.close();
  }

  private Buffer line(Delivery delivery) {
    ProcessedEvent processed = delivery.event();
    PipelineEvent event = processed.event();
    return Buffer.buffer(256 + delivery.body().length() + processed.snapshotJson().length())
        .appendString("{\"target\":").appendString(JsonLines.quote(targetId))
        .appendString(",\"eventId\":").appendString(JsonLines.quote(event.eventId()))
        .appendString(",\"idempotencyKey\":").appendString(JsonLines.quote(delivery.idempotencyKey()))
        .appendString(",\"matchedFilter\":").appendString(JsonLines.quote(delivery.matchedPattern()))
        .appendString(",\"conversationId\":").appendString(JsonLines.quote(event.conversationId()))
        .appendString(",\"eventType\":").appendString(JsonLines.quote(event.eventType()))
        .appendString(",\"eventTime\":").appendString(Long.toString(event.eventTime()))
        .appendString(",\"late\":").appendString(Boolean.toString(event.late()))
        .appendString(",\"state\":").appendString(JsonLines.quote(processed.state()))
        .appendString(",\"violation\":").appendBuffer(processed.violationJson())
        .appendString(",\"source\":").appendString(JsonLines.quote(event.source()))
        .appendString(",\"ingestedAt\":").appendString(Long.toString(event.ingestedAt()))
        .appendString(",\"processedAt\":").appendString(Long.toString(processed.processedAt()))
        .appendString(",\"attempt\":").appendString(Integer.toString(delivery.attempt()))
        .appendString(",\"conversation\":").appendBuffer(processed.snapshotJson())
        .appendString(",\"event\":").appendBuffer(JsonLines.oneLine(delivery.body()))
        .appendString("}");
  }


}
