package io.switchboard.dryrun;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.ItemResult;
import io.switchboard.ingest.JsonArraySplitter;
import io.switchboard.ingest.MalformedJsonException;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.ingest.TooManyItemsException;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Runs a capture through the server's own pipeline logic, offline: each line is one {@code POST /events} body,
 * admitted by the real {@link Admission} (parse, split arrays, normalise, JSON Schema), then dedup and reorder per shard
 * ({@link DedupAndReorder}), then the lifecycle state machine and every enabled target's filter and payload shape
 * ({@link StateStage}). Nothing is sent and nothing is written but what the listeners do.
 *
 * <p>Time is the capture's order on a synthetic clock ({@link Arrivals}); call {@link #finish()} at the end of the
 * capture to let the clock run on until reorder has released what it holds. Verdicts come out in capture order, each
 * once its item's journey ended; shaped payloads come out as the targets would receive them, in release order.
 * Single-threaded.
 */
public final class DryRun {

  /** A capture is what {@code POST /events} received: its events carry the HTTP source's name and lateness bound. */
  static final String SOURCE = "http";
  private static final String ORIGIN = "dry-run";

  private final SwitchboardConfig config;
  private final Arrivals arrivals;
  private final BiConsumer<String, Buffer> payloads;
  private final InputOrder order;
  private final SettlementTracker tracker = new SettlementTracker();
  private final Admission admission;
  private final DedupAndReorder stages;
  private final StateStage state;
  private final DryRunTargets targets;
  /** Admitted events not yet through the state stage, by their admission sequence number. */
  private final Map<Long, Place> inFlight = new HashMap<>();
  /** What admission handed the pipeline while admitting the current line, in order. */
  private final List<PipelineEvent> deduped = new ArrayList<>();
  private final List<DeadLetter> letters = new ArrayList<>();
  private long now;

  /** Where an item stands in the capture, and in the output order. */
  private record Place(long order, long line, int item) {
  }

  /**
   * Loads the schemas and lifecycle the config names, as the server does at start.
   *
   * @param verdicts hears each item's verdict, in capture order
   * @param payloads hears, per target id, each shaped payload that target would be sent, in release order
   * @throws io.switchboard.config.ConfigException when a schema or the lifecycle cannot be read, naming its key
   */
  public DryRun(SwitchboardConfig config, Arrivals arrivals, Consumer<EventVerdict> verdicts,
                BiConsumer<String, Buffer> payloads) {
    this(config, PipelineFiles.lifecycle(config), new EventNormalizer(PipelineFiles.schemas(config), true), arrivals,
        verdicts, payloads);
  }

  private DryRun(SwitchboardConfig config, LifecycleDefinition lifecycle, EventNormalizer normalizer,
                 Arrivals arrivals, Consumer<EventVerdict> verdicts, BiConsumer<String, Buffer> payloads) {
    this.config = Objects.requireNonNull(config, "config");
    this.arrivals = Objects.requireNonNull(arrivals, "arrivals");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
    this.order = new InputOrder(verdicts);
    this.admission = new Admission(SOURCE, ORIGIN, normalizer, tracker, new Handover(), (source, outcome) -> { });
    this.targets = new DryRunTargets(config.enabledTargets());
    this.state = new StateStage(config, lifecycle, targets, payloads, () -> now, this::ended);
    this.stages = new DedupAndReorder(config, lifecycle, state);
    this.now = arrivals.of(1);
  }

  /** Line {@code line} of the capture, whole. */
  public void offer(long line, Buffer bytes) {
    offer(line, bytes, bytes.length());
  }

  /**
   * Line {@code line} (1-based, increasing) of the capture; blank lines only move the clock.
   *
   * @param length the line's real length: {@code bytes} may hold only its start when it is over
   *               {@code http.maxBodyBytes}, which is refused unread
   */
  public void offer(long line, Buffer bytes, long length) {
    stages.advanceTo(Math.max(now, arrivals.of(line)), time -> now = time);
    state.sweep(now);
    if (blank(bytes)) {
      return;
    }
    if (length > config.http().maxBodyBytes()) {
      refuse(line, "body_too_large", "body of " + length + " bytes exceeds the limit of "
          + config.http().maxBodyBytes() + " (http.maxBodyBytes)");
      return;
    }
    deduped.clear();
    letters.clear();
    List<Future<ItemResult>> results;
    try {
      results = admission.admitAll(bytes, config.http().maxInFlight(), now);
    } catch (TooManyItemsException e) {
      refuse(line, "too_many_items", e.getMessage() + " (http.maxInFlight)");
      return;
    } catch (DecodeException | MalformedJsonException e) {
      admission.rejectUnparseable(bytes, "invalid JSON: " + firstLine(e.getMessage()));
      DeadLetter letter = letters.get(0);
      order.finish(order.reserve(), new EventVerdict(line, -1, EventVerdict.Outcome.DEAD_LETTERED, null, null, null,
          letter.reason().code(), letter.stage(), letter.error(), null, false, List.of()));
      return;
    }
    settleAdmitted(line, JsonArraySplitter.shapeOf(bytes) == JsonArraySplitter.BodyShape.ARRAY, results);
  }

  /** Pairs each item's result with what admission handed the pipeline for it: all of it happened synchronously. */
  private void settleAdmitted(long line, boolean array, List<Future<ItemResult>> results) {
    int handed = 0;
    int lettered = 0;
    List<PipelineEvent> admitted = new ArrayList<>();
    for (Future<ItemResult> future : results) {
      ItemResult result = future.result();
      int item = array ? result.index() : -1;
      long place = order.reserve();
      switch (result.status()) {
        case ACCEPTED -> {
          PipelineEvent event = deduped.get(handed++);
          inFlight.put(result.seq(), new Place(place, line, item));
          admitted.add(event);
        }
        case DUPLICATE -> {
          PipelineEvent event = deduped.get(handed++);
          order.finish(place, new EventVerdict(line, item, EventVerdict.Outcome.DUPLICATE, event.eventId(),
              event.conversationId(), event.eventType(), result.reason(), null, null, null, false, List.of()));
        }
        case DEAD_LETTERED -> {
          DeadLetter letter = letters.get(lettered++);
          order.finish(place, new EventVerdict(line, item, EventVerdict.Outcome.DEAD_LETTERED, result.eventId(),
              result.conversationId(), null, result.reason(), letter.stage(), result.error(), null, false, List.of()));
        }
        case IGNORED -> order.finish(place, new EventVerdict(line, item, EventVerdict.Outcome.IGNORED, null, null,
            null, null, null, result.error(), null, false, List.of()));
        case RETRY -> throw new IllegalStateException("the dry run's pipeline never fails, yet item " + item
            + " of line " + line + " must be retried: " + result.error());
      }
    }
    // Reorder takes them after admission answered, as the dedup stage forwards them.
    admitted.forEach(event -> stages.reorder(event, now));
  }

  /** What {@code POST /events} answers 413 to: nothing of it is admitted or dead-lettered. */
  private void refuse(long line, String reason, String why) {
    order.finish(order.reserve(), new EventVerdict(line, -1, EventVerdict.Outcome.REFUSED, null, null, null,
        reason, null, why, null, false, List.of()));
  }

  /** Nothing but JSON whitespace: no body at all. */
  private static boolean blank(Buffer bytes) {
    for (int i = 0; i < bytes.length(); i++) {
      byte b = bytes.getByte(i);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  /** The parser's first line, as the HTTP endpoint reports it (the rest only repeats the location). */
  private static String firstLine(String message) {
    return message == null ? "malformed" : message.lines().findFirst().orElse("malformed");
  }

  /**
   * The capture has ended: the clock runs on until reorder has released what it holds, each event at its hold
   * deadline, so that every item has its verdict.
   */
  public void finish() {
    stages.drain(time -> now = time);
    if (order.open() != 0) {
      throw new IllegalStateException(order.open() + " items have no verdict once reorder is empty");
    }
  }

  /** An admitted event's journey ended, in the state stage or at reorder: its verdict takes its place in order. */
  private void ended(PipelineEvent event, EventVerdict verdict) {
    long seq = event.ticket().seq();
    tracker.settle(seq);
    Place place = Objects.requireNonNull(inFlight.remove(seq), () -> "no place for admitted event " + seq);
    order.finish(place.order(), verdict.at(place.line(), place.item()));
  }

  /** What the server's dedup stage and DLQ writer do for admission, at once. */
  private final class Handover implements Admission.Pipeline {

    @Override
    public Future<DedupVerdict> dedup(PipelineEvent event) {
      DedupVerdict verdict = stages.dedup(event, now);
      deduped.add(event);
      return Future.succeededFuture(verdict);
    }

    @Override
    public Future<Void> deadLetter(DeadLetter letter) {
      letters.add(letter);
      return Future.succeededFuture();
    }
  }
}
