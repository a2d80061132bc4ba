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
 *
 * <p>A failed batch fails its lines' futures and nothing else: the writer stays usable, so a caller may append
 * the same lines again. A file that could not be opened is opened again by the next batch (rotation happens
 * before a write, so a failed rotation never fails lines already written), and a batch after a failed write
 * starts with a newline, so that a fragment the failure left behind cannot swallow the next line.
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
  /** The last write failed, so the file may end in a fragment of a line. */
  private boolean mayEndTorn;
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
    Future<Void> written = openIfNeeded().compose(v -> write(toWrite));
    written.onComplete(ar -> {
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

  private Future<Void> write(Buffer lines) {
    Buffer bytes = mayEndTorn ? Buffer.buffer(lines.length() + 1).appendByte(NEWLINE).appendBuffer(lines) : lines;
    Future<Void> written = file.write(bytes);
    if (fsync) {
      written = written.compose(v -> file.flush());
    }
    // When the failed write left nothing behind, the newline only makes a blank line, which readers skip.
    return written.onSuccess(v -> {
      currentBytes += bytes.length();
      mayEndTorn = false;
    }).onFailure(e -> mayEndTorn = true);
  }

  /** The file to write to: the current one, or a new one at the start, after a failed open or past the size. */
  private Future<Void> openIfNeeded() {
    if (file != null && currentBytes < rotateBytes) {
      return Future.succeededFuture();
    }
    AsyncFile old = file;
    file = null;
    mayEndTorn = false;
    Future<Void> closed = old == null ? Future.succeededFuture() : old.close().otherwise((Void) null);
    return closed.compose(v -> open());
  }

  private void completeIdleWaiters() {
    if (!writing && waiting.isEmpty() && !idleWaiters.isEmpty()) {
      List<Promise<Void>> done = new ArrayList<>(idleWaiters);
      idleWaiters.clear();
      done.forEach(Promise::tryComplete);
    }
  }
}
