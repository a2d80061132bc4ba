package io.switchboard.ingest;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Replay;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The one way into the pipeline, whatever the transport (HTTP today; Kafka, the Notifications WebSocket and REST
 * polling next): normalise and validate each item, ask its dedup shard whether it is new, and either admit it,
 * answer that it is a duplicate, or dead-letter it with a reason. Every item that is an object gets a sequence
 * number in the source's {@link SettlementTracker} and settles there when its journey ends; the tracker's
 * contiguous settled position is what the source may acknowledge upstream.
 *
 * <p>A result of {@link ItemResult.Status#RETRY} means the item is not known to be anywhere: the source must
 * deliver it again (HTTP answers 503, a consumer seeks back). Dedup absorbs the repeat if it did get through.
 * Owned by one source instance and used on its event loop.
 */
public final class Admission {

  /** What admission needs from the pipeline around it. */
  public interface Pipeline {

    /** Hands a normalised event to its dedup shard, which forwards a first sighting on; answers the verdict. */
    Future<DedupVerdict> dedup(PipelineEvent event);

    /** Writes a dead letter; completes once it is durable. */
    Future<Void> deadLetter(DeadLetter letter);
  }

  /**
   * Where admitted items are made durable before the source acknowledges them: one record per sequence number, in
   * order ({@link io.switchboard.journal.IngestJournal}), or {@link #NONE}.
   */
  public interface Journal {

    /** Records an item that became an event; completes once it is durable. */
    Future<Void> record(long seq, Buffer item, long receivedAt);

    /** Records that {@code seq} settled at admission (rejected, ignored): nothing to replay. */
    Future<Void> recordSettled(long seq, long receivedAt);

    /** Whether the journal is at its bound: the source must push back before admitting more. */
    boolean full();

    /** No journal: a 202 then means "accepted into the running pipeline" only. */
    Journal NONE = new Journal() {
      @Override
      public Future<Void> record(long seq, Buffer item, long receivedAt) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> recordSettled(long seq, long receivedAt) {
        return Future.succeededFuture();
      }

      @Override
      public boolean full() {
        return false;
      }
    };
  }

  /** Counts items by outcome ({@code accepted}, {@code duplicate}, {@code dead_lettered}, ...). */
  public interface Meter {
    void count(String source, String outcome);
  }

  private final String source;
  private final String origin;
  private final EventNormalizer normalizer;
  private final SettlementTracker tracker;
  private final Pipeline pipeline;
  private final Journal journal;
  private final Meter meter;

  /**
   * @param source the source name events carry ({@code http}, {@code kafka}, ...)
   * @param origin the address on which this source hears settlements (its tickets' origin)
   */
  public Admission(String source, String origin, EventNormalizer normalizer, SettlementTracker tracker,
                   Pipeline pipeline, Meter meter) {
    this(source, origin, normalizer, tracker, pipeline, Journal.NONE, meter);
  }

  public Admission(String source, String origin, EventNormalizer normalizer, SettlementTracker tracker,
                   Pipeline pipeline, Journal journal, Meter meter) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.source = Objects.requireNonNull(source, "source");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.meter = Objects.requireNonNull(meter, "meter");
  }

  /**
   * Parses and admits the items of one delivery (a body, a record). Fails with {@link MalformedJsonException} or
   * {@link DecodeException} when it is not JSON at all: nothing was admitted, see {@link #rejectUnparseable}.
   */
  public List<Future<ItemResult>> admitAll(Buffer body, long now) {
    return admitAll(body, Integer.MAX_VALUE, now);
  }

  /**
   * As {@link #admitAll(Buffer, long)}, for a body of at most {@code maxItems} items.
   *
   * @throws TooManyItemsException if the body is an array of more: nothing was admitted
   */
  public List<Future<ItemResult>> admitAll(Buffer body, int maxItems, long now) {
    return admitAll(body, maxItems, now, Replay.NONE, null);
  }

  /**
   * As {@link #admitAll(Buffer, int, long)}, for a source that replays by itself (a Kafka consumer re-reading
   * from its committed offset): its items are marked {@code purpose}, under new sequence numbers. {@code locator},
   * when not null, says where the delivery came from ({@code "kafka topic/partition@offset"}) and heads the error
   * of every dead letter it produces, so an operator can find the record.
   */
  public List<Future<ItemResult>> admitAll(Buffer body, int maxItems, long now, Replay purpose, String locator) {
    BodyText.require(body);
    List<Buffer> items = JsonArraySplitter.shapeOf(body) == JsonArraySplitter.BodyShape.ARRAY
        ? JsonArraySplitter.split(body, maxItems) : List.of(body);
    List<Object> parsed = new ArrayList<>(items.size());
    for (Buffer item : items) {
      parsed.add(item.toJsonValue());
    }
    List<Future<ItemResult>> results = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      results.add(admit(i, parsed.get(i), items.get(i), now, purpose, locator));
    }
    return results;
  }

  /** Admits one parsed item; {@code bytes} are its exact text, kept for delivery and dead letters. */
  public Future<ItemResult> admit(int index, Object json, Buffer bytes, long now) {
    return admit(index, json, bytes, now, Replay.NONE, null);
  }

  private Future<ItemResult> admit(int index, Object json, Buffer bytes, long now, Replay purpose, String locator) {
    if (!(json instanceof JsonObject object)) {
      return deadLetter(index, 0, DeadLetter.Stage.INGEST, DeadLetter.Reason.UNRECOGNISED_SHAPE,
          located(locator, "item is not a JSON object"), null, null, bytes);
    }
    return admit(index, object, bytes, now, tracker.admit(), purpose, locator);
  }

  private static String located(String locator, String error) {
    return locator == null ? error : locator + ": " + error;
  }

  /**
   * Admits a record replayed from the journal after a restart, under its own sequence number (the tracker was
   * started at the journal's first one, so they agree). Its events are marked with the replay's {@code purpose}:
   * dedup and state let them through even though they may have passed before the crash; a {@link
   * Replay#RESTORE_ONLY} one rebuilds state and is delivered nowhere. {@code item} false: nothing to replay.
   */
  public Future<ItemResult> admitReplayed(long seq, boolean item, Replay purpose, Buffer bytes, long receivedAt) {
    long own = tracker.admit();
    if (own != seq) {
      throw new IllegalStateException("replayed record " + seq + " met sequence number " + own);
    }
    if (!item) {
      tracker.settle(own);
      return Future.succeededFuture(new ItemResult(0, ItemResult.Status.IGNORED, null, null, null,
          "settled before the restart", own));
    }
    Object json;
    try {
      json = bytes.toJsonValue();
    } catch (RuntimeException e) {
      json = null;
    }
    if (!(json instanceof JsonObject object)) {
      // Only objects are journalled as items, and records are checksummed: this is a bug or a foreign file.
      return deadLetter(0, own, DeadLetter.Stage.INGEST, DeadLetter.Reason.UNRECOGNISED_SHAPE,
          "journal record " + seq + " is not a JSON object", null, null, bytes);
    }
    return admit(0, object, bytes, receivedAt, own, purpose, null);
  }

  /** Whether the source must push back before admitting more: the journal is at its bound. */
  public boolean journalFull() {
    return journal.full();
  }

  private Future<ItemResult> admit(int index, JsonObject object, Buffer bytes, long now, long seq, Replay replay,
                                   String locator) {
    NormalizeResult result = normalizer.normalize(object, bytes, source, new Ticket(origin, seq), now);
    if (result instanceof NormalizeResult.Normalized normalized) {
      Future<Void> journaled = journal.record(seq, bytes, now);
      PipelineEvent event = normalized.event().asReplay(replay);
      Future<ItemResult> verdict = dedup(index, seq, event);
      // Both must hold before the source is answered; a failed append leaves an accepted event in the pipeline,
      // but the source must send it again (dedup absorbs the repeat), since it is not durable.
      return journaled.transform(j -> j.succeeded() ? verdict : verdict.map(r -> notJournaled(r, j.cause())));
    }
    journal.recordSettled(seq, now);
    if (result instanceof NormalizeResult.Ignored ignored) {
      tracker.settle(seq);
      meter.count(source, "ignored");
      return Future.succeededFuture(new ItemResult(index, ItemResult.Status.IGNORED, null, null, null, ignored.why(),
          seq));
    }
    NormalizeResult.Rejected rejected = (NormalizeResult.Rejected) result;
    DeadLetter.Stage stage = rejected.reason() == DeadLetter.Reason.SCHEMA_INVALID
        ? DeadLetter.Stage.VALIDATE : DeadLetter.Stage.INGEST;
    return deadLetter(index, seq, stage, rejected.reason(), located(locator, rejected.error()), rejected.eventId(),
        rejected.conversationId(), bytes);
  }

  /** A delivery that is not JSON at all: its raw bytes become one dead letter. */
  public Future<Void> rejectUnparseable(Buffer body, String why) {
    meter.count(source, "unparseable");
    return pipeline.deadLetter(input(DeadLetter.Stage.INGEST, DeadLetter.Reason.UNPARSEABLE_JSON, why, null, null,
        body));
  }

  /** Events admitted by this source and not yet settled. */
  public int inFlight() {
    return tracker.inFlight();
  }

  /** Every event admitted up to this sequence number has settled: what the source may acknowledge upstream. */
  public long settledThrough() {
    return tracker.settledThrough();
  }

  private ItemResult notJournaled(ItemResult result, Throwable cause) {
    if (result.status() != ItemResult.Status.ACCEPTED) {
      return result;
    }
    meter.count(source, "unavailable");
    return new ItemResult(result.index(), ItemResult.Status.RETRY, result.eventId(), result.conversationId(),
        "journal_unavailable", String.valueOf(cause.getMessage()), result.seq());
  }

  private Future<ItemResult> dedup(int index, long seq, PipelineEvent event) {
    Future<DedupVerdict> verdict;
    try {
      verdict = pipeline.dedup(event);
    } catch (RuntimeException e) {
      verdict = Future.failedFuture(e);
    }
    return verdict.transform(ar -> {
      if (ar.failed()) {
        tracker.settle(seq);
        meter.count(source, "unavailable");
        return Future.succeededFuture(new ItemResult(index, ItemResult.Status.RETRY, event.eventId(),
            event.conversationId(), "unavailable", String.valueOf(ar.cause().getMessage()), seq));
      }
      if (ar.result().isDuplicate()) {
        tracker.settle(seq);
        meter.count(source, "duplicate");
        return Future.succeededFuture(new ItemResult(index, ItemResult.Status.DUPLICATE, event.eventId(),
            event.conversationId(), ar.result().name().toLowerCase(Locale.ROOT), null, seq));
      }
      // Admitted: the event's settlement now comes from wherever its journey ends.
      meter.count(source, "accepted");
      return Future.succeededFuture(new ItemResult(index, ItemResult.Status.ACCEPTED, event.eventId(),
          event.conversationId(), null, null, seq));
    });
  }

  /**
   * Dead-letters an item that never became an event. Its settlement does not wait for the DLQ writer: the
   * source learns the outcome from the result (dead-lettered, or retry when the write failed) and settles here.
   */
  private Future<ItemResult> deadLetter(int index, long seq, DeadLetter.Stage stage, DeadLetter.Reason reason,
                                        String error, String eventId, String conversationId, Buffer bytes) {
    return pipeline.deadLetter(input(stage, reason, error, eventId, conversationId, bytes)).transform(ar -> {
      if (seq > 0) {
        tracker.settle(seq);
      }
      if (ar.failed()) {
        meter.count(source, "unavailable");
        return Future.succeededFuture(new ItemResult(index, ItemResult.Status.RETRY, eventId, conversationId,
            "dead_letter_unavailable", String.valueOf(ar.cause().getMessage()), seq));
      }
      meter.count(source, "dead_lettered");
      return Future.succeededFuture(new ItemResult(index, ItemResult.Status.DEAD_LETTERED, eventId, conversationId,
          reason.code(), error, seq));
    });
  }

  private static DeadLetter input(DeadLetter.Stage stage, DeadLetter.Reason reason, String error, String eventId,
                                  String conversationId, Buffer payload) {
    long now = System.currentTimeMillis();
    // Untracked (no parts to settle): the source is told the outcome in the item's result and settles it here.
    return new DeadLetter(Ticket.NONE, stage, reason, error, null, eventId, conversationId, 1, now, now, now,
        payload, 0);
  }
}
