package io.switchboard.it.genesys;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs work on the emulator's own context. All emulator state (tokens, channels, sockets, conversations, jobs,
 * faults) is owned by that one context, so the HTTP handlers, the timers and the Java API never race; the Java API
 * hops here and hands back a future.
 */
final class OnContext {

  private final Context context;

  OnContext(Context context) {
    this.context = Objects.requireNonNull(context);
  }

  <T> Future<T> call(Supplier<T> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(work.get());
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  Future<Void> run(Runnable work) {
    return call(() -> {
      work.run();
      return null;
    });
  }
}
