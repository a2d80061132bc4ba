package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Posts one lane's sends, one request at a time and in order, over a client of its own with one connection: a
 * lane is one connection of the closed loop, as one API-destination connection is. (Lanes once shared one pooled
 * client across event loops; Vert.x's pool then hit a cancel/connect race now and then, "Promise already
 * completed", which leaked a pool slot each time, and enough of them stalled a run.) Like an EventBridge API destination it retries 429, 5xx and connection
 * failures (the server's dedup absorbs a retry of a request that did get through), and gives up after
 * {@value #MAX_ATTEMPTS} attempts.
 *
 * <p>A send with a hold ({@link Send#holdMillis()}) is set aside when its turn comes and posted that many real ms
 * later, ahead of the sends then in turn, while the lane goes on meanwhile: the held event reaches the server
 * behind its successors by about the hold, with one request in flight throughout. For every send it records when
 * its first attempt began and when it was answered ({@link Arrivals}).
 */
final class LaneSender extends VerticleBase {

  private static final int MAX_ATTEMPTS = 8;
  private static final long REQUEST_TIMEOUT_MILLIS = 30_000;
  private static final long MAX_RETRY_DELAY_MILLIS = 1_000;
  private static final long IO_RETRY_DELAY_MILLIS = 100;
  /** A last guard: an answer that never comes, whatever the cause, becomes an I/O error and a retry. */
  private static final long GUARD_MILLIS = REQUEST_TIMEOUT_MILLIS + 5_000;
  private static final WebClientOptions CLIENT = new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true);

  private WebClient client;
  private final Target target;
  private final List<Send> sends;
  private final Pacer pacer;
  private final SendStats stats = new SendStats();
  private final Promise<SendStats> done = Promise.promise();
  /** Held sends whose hold is over, oldest first: they go before the next send in turn. */
  private final ArrayDeque<Send> due = new ArrayDeque<>();
  private int next;
  /** Held sends still waiting out their hold. */
  private int holding;
  /** Whether a send is being posted (waiting for its pacer slot, in flight or between retries). */
  private boolean busy;

  LaneSender(Target target, List<Send> sends, Pacer pacer) {
    this.target = Objects.requireNonNull(target, "target");
    this.sends = List.copyOf(sends);
    this.pacer = Objects.requireNonNull(pacer, "pacer");
  }

  /** Completes with the lane's statistics once every send was answered or given up. */
  Future<SendStats> finished() {
    return done.future();
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx, CLIENT, new PoolOptions().setHttp1MaxSize(1));
    // Begin after deployment completes, so that no request runs inside start().
    context.runOnContext(v -> sendNext());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    client.close();
    return Future.succeededFuture();
  }

  /**
   * Posts the next send: a held send whose time has come first, else the next in turn. A send in turn that is to be
   * held ({@link Send#holdMillis()}) is set aside on a timer and the one after it goes instead. Completes the lane
   * once every send was posted and answered or given up.
   */
  private void sendNext() {
    busy = false;
    while (due.isEmpty() && next < sends.size() && sends.get(next).holdMillis() > 0) {
      Send held = sends.get(next++);
      holding++;
      vertx.setTimer(held.holdMillis(), id -> {
        holding--;
        due.add(held);
        if (!busy) {
          sendNext();
        }
      });
    }
    if (!due.isEmpty()) {
      post(due.poll());
    } else if (next < sends.size()) {
      post(sends.get(next++));
    } else if (holding == 0) {
      done.tryComplete(stats);
    }
  }

  private void post(Send send) {
    busy = true;
    Pacer.Slot slot = pacer.claim();
    stats.sent++;
    Post post = new Post(send, send.stamped(slot.sentAtMillis()));
    if (slot.delayMillis() > 0) {
      vertx.setTimer(slot.delayMillis(), id -> attempt(post, 1));
    } else {
      attempt(post, 1);
    }
  }

  private void attempt(Post post, int attempt) {
    long began = System.nanoTime();
    if (attempt == 1) {
      post.firstAttemptAt = System.currentTimeMillis();
    }
    stats.requests++;
    client.post(target.port(), target.host(), target.path())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
        .timeout(REQUEST_TIMEOUT_MILLIS)
        .sendBuffer(post.body)
        .timeout(GUARD_MILLIS, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          stats.httpNanos.add(System.nanoTime() - began);
          if (ar.failed()) {
            stats.ioErrors++;
            retry(post, attempt, IO_RETRY_DELAY_MILLIS);
            return;
          }
          answered(ar.result(), post, attempt);
        });
  }

  private void answered(HttpResponse<Buffer> response, Post post, int attempt) {
    int status = response.statusCode();
    if (status == 202) {
      try {
        stats.count(response.bodyAsJsonObject());
      } catch (DecodeException | ClassCastException e) {
        stats.http5xx++;
      }
      settled(post, System.currentTimeMillis());
    } else if (status == 429 || status >= 500) {
      if (status >= 500) {
        stats.http5xx++;
      } else {
        stats.http4xx++;
      }
      retry(post, attempt, retryAfterMillis(response));
    } else {
      stats.http4xx++;
      settled(post, System.currentTimeMillis());
    }
  }

  private void retry(Post post, int attempt, long delayMillis) {
    if (attempt >= MAX_ATTEMPTS) {
      stats.failed++;
      settled(post, Arrivals.UNANSWERED);
      return;
    }
    stats.retries++;
    vertx.setTimer(Math.max(1, delayMillis), id -> attempt(post, attempt + 1));
  }

  private void settled(Post post, long answeredAt) {
    stats.arrivals.record(post.send.expectedId(), post.firstAttemptAt, answeredAt);
    sendNext();
  }

  private static long retryAfterMillis(HttpResponse<Buffer> response) {
    String header = response.getHeader(HttpHeaders.RETRY_AFTER.toString());
    try {
      return header == null ? IO_RETRY_DELAY_MILLIS
          : Math.min(MAX_RETRY_DELAY_MILLIS, Long.parseLong(header.trim()) * 1_000);
    } catch (NumberFormatException e) {
      return IO_RETRY_DELAY_MILLIS;
    }
  }

  /** One send being posted: its stamped body, and when its first attempt began. */
  private static final class Post {
    final Send send;
    final Buffer body;
    long firstAttemptAt;

    Post(Send send, Buffer body) {
      this.send = send;
      this.body = body;
    }
  }
}
