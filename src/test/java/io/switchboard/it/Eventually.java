package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/** Polls an asynchronous condition on a Vert.x timer (no sleeping threads) until it holds or time runs out. */
public final class Eventually {

  private Eventually() {
  }

  public static Future<Void> poll(Vertx vertx, long timeoutMillis, Supplier<Future<Boolean>> condition) {
    Promise<Void> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    attempt(vertx, deadline, condition, done);
    return done.future();
  }

  private static void attempt(Vertx vertx, long deadline, Supplier<Future<Boolean>> condition, Promise<Void> done) {
    checked(condition).onComplete(ar -> {
      if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
        done.complete();
      } else if (System.currentTimeMillis() > deadline) {
        done.fail("condition not met in time" + (ar.failed() ? ": " + ar.cause() : ""));
      } else {
        vertx.setTimer(50, id -> attempt(vertx, deadline, condition, done));
      }
    });
  }

  /**
   * A condition that throws (say, it read a line the writer had not finished) counts as "not yet"; thrown inside a
   * timer it would otherwise end the polling silently and leave the test waiting for its own timeout.
   */
  private static Future<Boolean> checked(Supplier<Future<Boolean>> condition) {
    try {
      return condition.get();
    } catch (RuntimeException | AssertionError e) {
      return Future.failedFuture(e);
    }
  }
}
