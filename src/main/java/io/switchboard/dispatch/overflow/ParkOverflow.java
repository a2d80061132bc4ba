package io.switchboard.dispatch.overflow;

import io.switchboard.codecs.ProcessedEventCodec;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.queue.KeyedDeliveryQueue;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.park.ParkFullException;
import io.switchboard.park.ParkLog;
import io.switchboard.park.Parked;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A target's durable overflow: what its queue cannot take is appended to the target's {@link ParkLog}
 * (fsync'd; the source may then consider it settled) and redriven oldest first, one batch at a time, as
 * the queue frees up. A batch is committed only once every delivery of it finished, so a crash redrives
 * it again (duplicates, which idempotency keys absorb) rather than losing it. All file work runs on one
 * ordered worker per target instance, never on the event loop.
 *
 * <p>When the log is full, events wait in memory unsettled: the sources' in-flight bounds then fill and
 * ingest pushes back. Nothing is dropped.
 */
public final class ParkOverflow implements Overflow {

  private static final Logger LOG = LoggerFactory.getLogger(ParkOverflow.class);
  private static final byte RECORD_VERSION = 1;
  private static final int MAX_APPEND = 500;
  private static final int MAX_REDRIVE = 256;
  private static final long RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final String name;
  private final WorkerExecutor worker;
  private final ParkLog log;
  /** Events that were queued (not parked) when the previous run stopped; redriven before the rest. */
  private final ParkLog front;
  private final FrontGate gate;
  private final Runnable wake;
  private final BiFunction<ProcessedEvent, String, Delivery> rebuild;
  private final ProcessedEventCodec codec = new ProcessedEventCodec();

  private final ArrayDeque<Pending> toAppend = new ArrayDeque<>();
  private boolean appending;
  private long retryTimer = -1;
  /** Records in the log not yet handed to the queue. */
  private long unpeeked;
  private boolean peeking;
  private int outstanding;
  private long batchLastOffset = -1;
  private ParkLog batchLog;
  private int committedBatchSize;
  private Future<?> lastAppend = Future.succeededFuture();

  /**
   * How many main-log records must be redriven before the front log: those already in the queue when the
   * previous run stopped. Persisted atomically (temp file + rename) beside the front log.
   */
  static final class FrontGate {
    private final Path file;
    private long remaining;

    private FrontGate(Path file, long remaining) {
      this.file = file;
      this.remaining = remaining;
    }

    static FrontGate read(Path dir) throws java.io.IOException {
      Path file = dir.resolve("gate");
      long remaining = java.nio.file.Files.exists(file)
          ? Long.parseLong(java.nio.file.Files.readString(file).trim()) : 0;
      return new FrontGate(file, remaining);
    }

    long remaining() {
      return remaining;
    }

    void consumed(long n) throws java.io.IOException {
      set(Math.max(0, remaining - n));
    }

    void set(long value) throws java.io.IOException {
      Path tmp = file.resolveSibling("gate.tmp");
      java.nio.file.Files.writeString(tmp, Long.toString(value));
      java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      remaining = value;
    }
  }

  private record Pending(Delivery delivery, BiConsumer<Delivery, Boolean> onStored) {
  }

  private ParkOverflow(Vertx vertx, String name, WorkerExecutor worker, ParkLog log, ParkLog front, FrontGate gate,
                       Runnable wake, BiFunction<ProcessedEvent, String, Delivery> rebuild) {
    this.vertx = vertx;
    this.name = name;
    this.worker = worker;
    this.log = log;
    this.front = front;
    this.gate = gate;
    this.wake = wake;
    this.rebuild = rebuild;
    this.unpeeked = log.pendingRecords() + front.pendingRecords();
  }

  /**
   * Opens (recovering) the park logs of one target instance under {@code dir}; {@code wake} and {@code rebuild} are
   * as in {@link Overflow.Factory#open}.
   */
  public static Future<Overflow> open(Vertx vertx, Path dir, TargetConfig target, int instance, Runnable wake,
                                      BiFunction<ProcessedEvent, String, Delivery> rebuild) {
    Objects.requireNonNull(wake, "wake");
    String name = target.id() + "-" + instance;
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("park-" + name, 1);
    Path logDir = dir.resolve(name);
    // Small segments: consumed ones are deleted, and the newest (kept for appends) bounds what stays on disk
    // once a backlog has drained.
    long segment = Math.min(16L << 20, Math.max(1L << 20, target.parkMaxBytes() / 64));
    Path frontDir = dir.resolve(name + "-front");
    return worker.<Overflow>executeBlocking(() -> {
      ParkLog log = ParkLog.open(logDir, target.parkMaxBytes(), segment);
      // The front log holds at most one queue's worth of events; it is not bounded by the park's bound.
      ParkLog front = ParkLog.open(frontDir, Long.MAX_VALUE / 4, segment);
      FrontGate gate = FrontGate.read(frontDir);
      for (ParkLog l : List.of(log, front)) {
        if (!l.recovery().isClean()) {
          LOG.warn("park log of target [{}] repaired on open: {}", name, l.recovery().notes());
        }
      }
      if (log.pendingRecords() + front.pendingRecords() > 0) {
        LOG.info("target [{}] has [{}] parked events to redrive", name, log.pendingRecords() + front.pendingRecords());
      }
      return new ParkOverflow(vertx, name, worker, log, front, gate, wake, rebuild);
    });
  }

  /** Empty when nothing waits to be appended and nothing in the log remains to be handed to the queue. */
  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public boolean isEmpty() {
    return toAppend.isEmpty() && !appending && unpeeked == 0 && !peeking && (batchLog != front || outstanding == 0);
  }

  @Override
  public int size() {
    return (int) Math.min(Integer.MAX_VALUE, toAppend.size() + unpeeked + outstanding);
  }

  @Override
  public void add(Delivery delivery, BiConsumer<Delivery, Boolean> onStored) {
    toAppend.add(new Pending(delivery, onStored));
    appendNext();
  }

  private void appendNext() {
    if (appending || toAppend.isEmpty() || retryTimer >= 0) {
      return;
    }
    List<Pending> batch = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    for (Pending p : toAppend) {
      if (batch.size() == MAX_APPEND) {
        break;
      }
      batch.add(p);
      records.add(encode(p.delivery()));
    }
    appending = true;
    Future<Long> append = worker.executeBlocking(() -> log.append(records), true);
    lastAppend = append;
    append.onComplete(ar -> {
      appending = false;
      if (ar.succeeded()) {
        for (int i = 0; i < batch.size(); i++) {
          toAppend.poll();
        }
        unpeeked += batch.size();
        batch.forEach(p -> p.onStored().accept(p.delivery(), true));
        appendNext();
        wake.run();
        return;
      }
      if (ar.cause() instanceof ParkFullException) {
        LOG.warn("park log of target [{}] is full: [{}] events wait in memory, ingest will push back", name,
            toAppend.size());
      } else {
        LOG.error("park append for target [{}] failed; retrying", name, ar.cause());
      }
      retryTimer = vertx.setTimer(RETRY_MILLIS, id -> {
        retryTimer = -1;
        appendNext();
      });
    });
  }

  @Override
  public void refill(KeyedDeliveryQueue<Delivery> queue, long now) {
    if (peeking || outstanding > 0 || unpeeked == 0) {
      return;
    }
    // Order across a restart: first the main-log records that were already in the queue when the previous
    // run stopped (the gate counts them), then the front log (what was queued but not parked), then the rest.
    ParkLog source = gate.remaining() > 0 || front.isEmpty() ? log : front;
    long available = source == log ? (gate.remaining() > 0 ? gate.remaining() : log.pendingRecords())
        : front.pendingRecords();
    int room = queue.capacity() - queue.size();
    int n = (int) Math.min(Math.min(room, MAX_REDRIVE), available);
    if (n <= 0) {
      return;
    }
    peeking = true;
    batchLog = source;
    worker.executeBlocking(() -> source.peek(n), true).onComplete(ar -> {
      peeking = false;
      if (ar.failed()) {
        LOG.error("park peek for target [{}] failed", name, ar.cause());
        return;
      }
      List<Parked> parked = ar.result();
      long offer = System.currentTimeMillis();
      for (Parked p : parked) {
        Delivery delivery = decode(p);
        if (!queue.offer(delivery.orderingKey(), delivery, offer)) {
          // Cannot happen while direct offers wait behind the overflow; keep the log's order if it does.
          LOG.error("queue of target [{}] refused a redriven event; it stays parked", name);
          break;
        }
        outstanding++;
        batchLastOffset = p.offset();
      }
      committedBatchSize = outstanding;
      unpeeked -= outstanding;
      wake.run();
    });
  }

  @Override
  public void finished(Delivery delivery) {
    if (!delivery.redriven()) {
      return;
    }
    if (--outstanding > 0) {
      return;
    }
    long commit = batchLastOffset;
    ParkLog committed = batchLog;
    int batchSize = committedBatchSize;
    worker.executeBlocking(() -> {
      committed.commit(commit);
      if (committed == log && gate.remaining() > 0) {
        gate.consumed(batchSize);
      }
      return null;
    }, true).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("park commit for target [{}] failed; the batch will be redriven again", name, ar.cause());
      }
      appendNext();
      wake.run();
    });
  }

  /**
   * Stopping: what waits to be parked is parked, and the events still in the queue that came straight from
   * the pipeline ({@code stranded}, older than anything parked) go to the front log, behind the main-log
   * records already in the queue (the gate counts those), so the next start redrives in the original order.
   */
  @Override
  public Future<Void> close(List<Delivery> stranded) {
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    return lastAppend.transform(ar -> {
      List<byte[]> rest = new ArrayList<>();
      toAppend.forEach(p -> rest.add(encode(p.delivery())));
      toAppend.clear();
      List<byte[]> queued = stranded.stream().map(this::encode).toList();
      long before = batchLog == log ? outstanding : 0;
      return worker.executeBlocking(() -> {
        try {
          if (!rest.isEmpty()) {
            log.append(rest);
          }
          if (!queued.isEmpty()) {
            front.append(queued);
            gate.set(gate.remaining() + before);
          }
        } catch (ParkFullException | RuntimeException e) {
          LOG.error("target [{}] stops with [{}] events it could not park: {}", name, rest.size() + queued.size(),
              e.toString());
        }
        log.close();
        front.close();
        return null;
      }, true).<Void>mapEmpty().eventually(() -> worker.close());
    });
  }

  private byte[] encode(Delivery delivery) {
    byte[] matched = delivery.matchedPattern().getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer(64 + matched.length + delivery.event().event().payload().length())
        .appendByte(RECORD_VERSION).appendInt(matched.length).appendBytes(matched);
    codec.encodeToWire(out, delivery.event());
    return out.getBytes();
  }

  private Delivery decode(Parked parked) {
    Buffer in = Buffer.buffer(parked.payload());
    if (in.getByte(0) != RECORD_VERSION) {
      throw new IllegalStateException("park record version " + in.getByte(0) + " is not readable by this release");
    }
    int length = in.getInt(1);
    String matched = in.getString(5, 5 + length, "UTF-8");
    ProcessedEvent event = codec.decodeFromWire(5 + length, in);
    return rebuild.apply(event, matched).parkedAt(parked.offset());
  }
}
