package io.switchboard.dispatch.eventbridge;

import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.eventbridge.EventBridgeTargetOptions.DetailShape;
import io.switchboard.ingest.Topics;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.time.Instant;
import java.util.Objects;

/**
 * Turns a delivery into a PutEvents entry and its size as EventBridge counts it.
 *
 * <p>{@code Time} is the Genesys {@code eventTime} (when it happened, not when it was sent), so an entry is the same
 * on every retry and replay. {@code Resources} stays empty (rules match it as ARNs of AWS resources, and there are
 * none) and {@code TraceHeader} unset (it is an X-Ray trace header, not a place for ids): the idempotency key, when
 * the consumer needs one as a field, travels in the enriched wrapper.
 */
final class EntryFactory {

  /** What EventBridge counts for a {@code Time} parameter, per "Calculating PutEvents event entry size". */
  static final int TIME_BYTES = 14;

  /** One entry ready to send, with its size and the delivery it carries. */
  record SizedEntry(Delivery delivery, PutEventsRequestEntry entry, int size) {
  }

  private final EventBridgeTargetOptions options;
  private final int sourceBytes;
  private final int fixedDetailTypeBytes;

  EntryFactory(EventBridgeTargetOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.sourceBytes = utf8Length(options.source());
    this.fixedDetailTypeBytes = options.detailType() == null ? -1 : utf8Length(options.detailType());
  }

  /** @throws IllegalArgumentException if the delivered body is not a JSON object */
  SizedEntry entry(Delivery delivery) {
    PipelineEvent event = delivery.event().event();
    Buffer body = delivery.body();
    String detail;
    int detailBytes;
    if (options.detail() == DetailShape.GENESYS) {
      GenesysDetail.Slice slice = GenesysDetail.locate(body);
      detail = slice.text(body);
      detailBytes = slice.length();
    } else {
      detail = body.toString("UTF-8");
      detailBytes = body.length();
    }
    // The normaliser has checked that the envelope's detail-type is the template of its topic, so the template
    // rebuilt from the event type is the envelope's own value, and WebSocket messages get the same.
    String detailType = options.detailType() != null ? options.detailType() : Topics.detailType(event.eventType());
    int detailTypeBytes = fixedDetailTypeBytes >= 0 ? fixedDetailTypeBytes : utf8Length(detailType);
    PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
        .eventBusName(options.eventBus())
        .source(options.source())
        .detailType(detailType)
        .detail(detail)
        .time(Instant.ofEpochMilli(event.eventTime()))
        .build();
    return new SizedEntry(delivery, entry, TIME_BYTES + sourceBytes + detailTypeBytes + detailBytes);
  }

  /** UTF-8 length without encoding; a lone surrogate counts as the one '?' byte the encoder would write. */
  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes += 1;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
