package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.config.DeadLetterConfig;
import io.switchboard.dlq.DeadLetterStore;
import io.switchboard.dlq.PayloadRedactor;
import io.switchboard.config.ConfigException;
import io.switchboard.dlq.RetryBacklog;
import io.switchboard.files.JsonLines;
import io.switchboard.files.JsonLinesWriter;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single writer and the one owner of this node's dead-letter queue: one JSON line per dead letter, fsync'd in
 * small batches, rotated by size. Alone uses the {@link DeadLetterStore} over its directory and answers everyone
 * else's DLQ requests over the bus ({@link DeadLetterQueries}).
 *
 * <p>The one place a dead letter is settled: once its line is written, the writer reports it to the event's source
 * with {@link DeadLetter#settleParts()}. When a write fails, a letter whose source waits for it is kept and retried
 * with a capped backoff until written, and settled only then, so its in-flight slot stays honestly taken and the
 * source pushes back through its in-flight bound; the sender is told at once that the writer has it. Any other
 * letter is refused with {@link FailureCodes#BUSY} and stays its sender's: ingest input, whose HTTP caller is told
 * to retry, and a redriven parked delivery's, which its dispatcher offers again while its park log still holds it.
 */
public final class DeadLetterWriterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriterVerticle.class);
  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private static final long RETRY_INITIAL_MILLIS = 100;
  private static final long RETRY_MAX_MILLIS = 5_000;

  private final DeadLetterConfig settings;
  private final PayloadRedactor redactor;
  private JsonLinesWriter writer;
  private MessageConsumer<DeadLetter> consumer;
  private DeadLetterQueries queries;
  private final AtomicLong depth = new AtomicLong();
  private long depthTimer = -1;

  private final RetryBacklog<DeadLetter> backlog = new RetryBacklog<>(RETRY_INITIAL_MILLIS, RETRY_MAX_MILLIS);
  private AtomicInteger pending;
  private long retryTimer = -1;
  private long streakSince;
  /** A refusal was logged and no write has succeeded since. */
  private boolean refusing;

  public DeadLetterWriterVerticle(DeadLetterConfig settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    try {
      this.redactor = new PayloadRedactor(settings.redact());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("deadLetters.redact", e.getMessage());
    }
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
    pending = PipelineMetrics.gaugeInt("switchboard.deadletters.pending",
        "Dead letters whose write failed, kept and retried until written (their events stay unsettled)", "dir",
        settings.dir());
    refreshDepth();
    depthTimer = vertx.setPeriodic(10_000, id -> refreshDepth());
    return writer.open().compose(v -> {
      consumer = vertx.eventBus().localConsumer(Addresses.DEAD_LETTER, this::onLetter);
      return Future.all(consumer.completion(), queries.register(vertx.eventBus()));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(depthTimer);
    vertx.cancelTimer(retryTimer);
    if (backlog.size() > 0) {
      LOG.warn("DLQ writer stops with [{}] dead letters it could not write; their events stay unsettled",
          backlog.size());
    }
    return Future.all(consumer.unregister(), queries.unregister()).compose(v -> writer.close());
  }

  private void onLetter(Message<DeadLetter> msg) {
    DeadLetter letter = msg.body();
    if (backlog.inStreak() && letter.settlesAnEvent()) {
      // The DLQ is failing: wait behind the letters already kept rather than fail on its own.
      keep(letter, null);
      msg.reply(null);
      return;
    }
    writer.append(line(letter, redactor)).onComplete(ar -> {
      if (ar.succeeded()) {
        written(letter);
        msg.reply(null);
      } else if (letter.settlesAnEvent()) {
        keep(letter, ar.cause());
        msg.reply(null);
      } else {
        refuse(msg, ar.cause());
      }
    });
  }

  private void refuse(Message<DeadLetter> msg, Throwable cause) {
    if (!refusing) {
      // Once until a write succeeds again: refused letters come back (HTTP retries, dispatchers offering again).
      refusing = true;
      LOG.warn("cannot write dead letters to [{}] ({}): refusing those that settle nothing to their senders, who "
          + "send them again", settings.dir(), cause.toString());
    }
    LOG.debug("dead letter for event [{}] refused to its sender", msg.body().eventId());
    msg.fail(FailureCodes.BUSY, "dead letter write failed: " + cause.getMessage());
  }

  /** The line is durable: only now does the event count as settled with its source. */
  private void written(DeadLetter letter) {
    refusing = false;
    PipelineMetrics.deadLettered(letter.stage().name().toLowerCase(java.util.Locale.ROOT), letter.reason().code());
    if (letter.settlesAnEvent()) {
      Settlements.report(vertx, letter.ticket(), letter.settleParts(), Settlement.Outcome.DEAD_LETTERED);
    }
  }

  private void keep(DeadLetter letter, Throwable cause) {
    if (backlog.keep(letter)) {
      // Once per failure streak, not per letter: an unwritable DLQ would otherwise flood the log.
      streakSince = System.currentTimeMillis();
      LOG.warn("cannot write dead letters to [{}] ({}): keeping those whose events wait for them and retrying "
          + "until it works; their events stay unsettled meanwhile", settings.dir(), String.valueOf(cause));
      armRetry();
    }
    pending.set(backlog.size());
  }

  private void armRetry() {
    retryTimer = vertx.setTimer(backlog.nextWaitMillis(), id -> retry());
  }

  private void retry() {
    retryTimer = -1;
    List<DeadLetter> letters = backlog.takeForRetry();
    List<Future<Void>> appends = letters.stream().map(letter -> writer.append(line(letter, redactor))).toList();
    Future.join(appends).onComplete(done -> {
      List<DeadLetter> stillFailing = new ArrayList<>();
      for (int i = 0; i < letters.size(); i++) {
        if (appends.get(i).succeeded()) {
          written(letters.get(i));
        } else {
          stillFailing.add(letters.get(i));
        }
      }
      if (backlog.retried(stillFailing)) {
        LOG.info("dead letters are written to [{}] again; the kept ones are written and settled after [{}] ms",
            settings.dir(), System.currentTimeMillis() - streakSince);
      } else {
        armRetry();
      }
      pending.set(backlog.size());
    });
  }

  private Path newFile() {
    return Path.of(settings.dir(), "deadletters-" + FILE_STAMP.format(Instant.now()) + ".jsonl");
  }

  static Buffer line(DeadLetter d) {
    return line(d, PayloadRedactor.NONE);
  }

  /** One JSON line for {@code d}, its payload passed through {@code redactor} ({@code deadLetters.redact}). */
  static Buffer line(DeadLetter d, PayloadRedactor redactor) {
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
      // Not JSON, so it cannot be embedded as a value: keep the exact text as a string (its size only when
      // redaction is on, as its fields cannot be found).
      String text = redactor.enabled() ? redactor.unparseable(d.payload()) : d.payload().toString();
      out.appendString(",\"payloadText\":").appendString(JsonLines.quote(text));
    } else {
      out.appendString(",\"payload\":").appendBuffer(JsonLines.oneLine(redactor.redact(d.payload())));
    }
    return out.appendString("}");
  }
}
