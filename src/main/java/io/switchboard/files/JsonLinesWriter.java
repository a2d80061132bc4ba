package io.switchboard.files;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Appends JSON lines to a file without blocking the event loop: lines are batched (by count or linger
 * time) into one write, optionally forced to disk, and each line's future completes only once its batch
 * is written (and synced). Rotates to a new file past a size. Single-threaded: use from one context.
 */
public final class JsonLinesWriter {

  private static final byte NEWLINE = '\n';

  private final Vertx vertx;
  private final Supplier<Path> nextFile;
  private final int batchLines;
  private final long lingerMillis;
  private final boolean fsync;
  private final long rotateBytes;

  private AsyncFile file;
  private Path currentPath;
  private long currentBytes;
  private List<Promise<Void>> waiting = new ArrayList<>();
  private Buffer batch = Buffer.buffer();
  private boolean writing;
  private long lingerTimer = -1;
  private boolean closing;
  private final List<Promise<Void>> idleWaiters = new ArrayList<>();

  /**
   * @param nextFile    the path of the file to (re)open; called at open and at each rotation
   * @param rotateBytes size after which a new file is started; {@code Long.MAX_VALUE} never rotates
   */
  public JsonLinesWriter(Vertx vertx, Supplier<Path> nextFile, int batchLines, long lingerMillis, boolean fsync,
                         long rotateBytes) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.nextFile = Objects.requireNonNull(nextFile, "nextFile");
    this.batchLines = batchLines;
    this.lingerMillis = lingerMillis;
    this.fsync = fsync;
    this.rotateBytes = rotateBytes;
  }

  public Future<Void> open() {
    Path path = nextFile.get();
    Path parent = path.toAbsolutePath().getParent();
    return vertx.fileSystem().mkdirs(parent.toString())
        .compose(v -> vertx.fileSystem().open(path.toString(),
            new OpenOptions().setAppend(true).setCreate(true).setWrite(true).setRead(false)))
        .compose(opened -> vertx.fileSystem().props(path.toString()).map(props -> {
          file = opened;
          currentPath = path;
          currentBytes = props.size();
          return null;
        }));
  }

  /** The file currently appended to. */
  public Path currentPath() {
    return currentPath;
  }

  /** Queues one line ({@code line} must hold no raw newline); completes when it is durable as configured. */
  public Future<Void> append(Buffer line) {
    Promise<Void> promise = Promise.promise();
    batch.appendBuffer(line).appendByte(NEWLINE);
    waiting.add(promise);
    if (waiting.size() >= batchLines) {
      flushNow();
    } else if (lingerTimer < 0 && !writing) {
      lingerTimer = vertx.setTimer(lingerMillis, id -> {
        lingerTimer = -1;
        flushNow();
      });
    }
    return promise.future();
  }

  /** Lines queued or being written. */
  public int pending() {
    return waiting.size();
  }

  /** Writes what is queued, then closes the file. */
  public Future<Void> close() {
    closing = true;
    Promise<Void> idle = Promise.promise();
    idleWaiters.add(idle);
    flushNow();
    completeIdleWaiters();
    return idle.future().compose(v -> file == null ? Future.succeededFuture() : file.close());
  }

  private void flushNow() {
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    if (writing || waiting.isEmpty()) {
      return;
    }
    writing = true;
    Buffer toWrite = batch;
    List<Promise<Void>> toComplete = waiting;
    batch = Buffer.buffer();
    waiting = new ArrayList<>();
    Future<Void> written = file.write(toWrite);
    if (fsync) {
      written = written.compose(v -> file.flush());
    }
    written.compose(v -> {
      currentBytes += toWrite.length();
      return currentBytes >= rotateBytes ? rotate() : Future.succeededFuture();
    }).onComplete(ar -> {
      writing = false;
      toComplete.forEach(p -> p.handle(ar));
      if (waiting.size() >= batchLines || (closing && !waiting.isEmpty())) {
        flushNow();
      } else if (!waiting.isEmpty()) {
        lingerTimer = vertx.setTimer(lingerMillis, id -> {
          lingerTimer = -1;
          flushNow();
        });
      }
      completeIdleWaiters();
    });
  }

  private void completeIdleWaiters() {
    if (!writing && waiting.isEmpty() && !idleWaiters.isEmpty()) {
      List<Promise<Void>> done = new ArrayList<>(idleWaiters);
      idleWaiters.clear();
      done.forEach(Promise::tryComplete);
    }
  }

  private Future<Void> rotate() {
    AsyncFile old = file;
    return old.close().compose(v -> open());
  }
}
