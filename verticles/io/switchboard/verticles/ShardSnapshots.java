package io.switchboard.verticles;

import io.switchboard.bus.ShardMap;
import io.switchboard.park.SnapshotFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a stateful shard (dedup, state) keeps its snapshot: {@code <checkpoint.dir>/<node>/<stage>-<shard>-of-<shards>.snap},
 * so that a changed shard count starts afresh instead of loading another shard's keys. Encoding happens on the
 * shard's event loop (the state is its own); the file work on a worker thread.
 */
final class ShardSnapshots {

  private static final Logger LOG = LoggerFactory.getLogger(ShardSnapshots.class);

  /** Writes a shard's state; runs on the shard's event loop. */
  interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  /** Rebuilds a shard's state from a snapshot; runs on the shard's event loop. */
  interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private final Vertx vertx;
  private final Path file;
  private final String name;
  /** Whether the shard changed since its last snapshot was written (or begun). */
  private boolean dirty;

  ShardSnapshots(Vertx vertx, String dir, String node, ShardMap.Stage stage, int shard, int shards) {
    this.vertx = vertx;
    this.name = stage.name().toLowerCase(Locale.ROOT) + "-" + shard + "-of-" + shards;
    this.file = Path.of(dir, node, name + ".snap");
  }

  /** The shard's state from its snapshot, or empty when there is none or it cannot be used (said in the log). */
  <T> Future<Optional<T>> load(Reader<T> reader) {
    return vertx.executeBlocking(() -> SnapshotFile.read(file), false).map(bytes -> {
      if (bytes.isEmpty()) {
        return Optional.<T>empty();
      }
      try {
        T state = reader.read(new DataInputStream(new ByteArrayInputStream(bytes.get())));
        LOG.info("snapshot [{}] restored ({} bytes)", name, bytes.get().length);
        return Optional.of(state);
      } catch (IOException | RuntimeException e) {
        LOG.warn("snapshot [{}] not used, the shard starts empty: {}", name, e.toString());
        return Optional.<T>empty();
      }
    }).recover(e -> {
      LOG.warn("snapshot [{}] unreadable, the shard starts empty: {}", name, e.toString());
      return Future.succeededFuture(Optional.empty());
    });
  }

  /** The shard's state changed: the next checkpoint writes it. */
  void markDirty() {
    dirty = true;
  }

  /**
   * A checkpoint's request: writes the snapshot if the shard changed since the last one, else nothing. The flag is
   * cleared before the write, so what changes meanwhile is written next time; a failed write sets it again.
   */
  Future<Void> checkpoint(Writer writer) {
    if (!dirty) {
      return Future.succeededFuture();
    }
    dirty = false;
    return save(writer).onFailure(e -> dirty = true);
  }

  /** Answers a checkpoint request: empty once the snapshot is durable (or not needed), else a failure naming it. */
  static void answer(io.vertx.core.eventbus.Message<String> msg, io.vertx.core.AsyncResult<Void> written, String what) {
    if (written.succeeded()) {
      msg.reply(null);
    } else {
      msg.fail(500, what + " snapshot failed: " + written.cause());
    }
  }

  /** Encodes the shard's state now (on its event loop) and writes it durably; completes once it is on disk. */
  private Future<Void> save(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(new DataOutputStream(bytes));
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    byte[] payload = bytes.toByteArray();
    return vertx.executeBlocking(() -> {
      SnapshotFile.write(file, payload);
      return null;
    }, true).mapEmpty();
  }
}
