package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.dlq.DeadLetterEntry;
import io.switchboard.dlq.DeadLetterQuery;
import io.switchboard.dlq.DeadLetterStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The DLQ writer's answers to the DLQ's admin requests (list, inspect, find for replay, mark replayed, depth; see
 * {@link Addresses}), from the store the writer alone uses. Store calls block, so they run on a worker, ordered on
 * the writer's context: they never overlap, which is what keeps the store's caches safe without locks.
 * Failures: {@link FailureCodes#BAD_REQUEST} for an invalid query, {@link FailureCodes#NOT_FOUND} for an unknown id,
 * {@link FailureCodes#INTERNAL} when the files cannot be read.
 */
final class DeadLetterQueries {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueries.class);

  private final Context context;
  private final DeadLetterStore store;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  DeadLetterQueries(Context context, DeadLetterStore store) {
    this.context = Objects.requireNonNull(context, "context");
    this.store = Objects.requireNonNull(store, "store");
  }

  Future<Void> register(EventBus bus) {
    consumers.add(bus.<JsonArray>localConsumer(Addresses.DLQ_QUERY,
        msg -> answer(msg, () -> store.query(DeadLetterQuery.fromParams(params(msg.body()))).toJson())));
    consumers.add(bus.<String>localConsumer(Addresses.DLQ_GET, msg -> answer(msg, () -> store.get(msg.body())
        .map(DeadLetterEntry::toJson).orElseThrow(() -> new NoSuchElementException("no dead letter " + msg.body())))));
    consumers.add(bus.<JsonArray>localConsumer(Addresses.DLQ_GET_ALL, msg -> answer(msg, () -> {
      JsonArray found = new JsonArray();
      store.getAll(msg.body().stream().map(String::valueOf).toList())
          .forEach(entry -> found.add(ReplayableLetter.of(entry).toJson()));
      return found;
    })));
    consumers.add(bus.<JsonObject>localConsumer(Addresses.DLQ_MARK_REPLAYED, msg -> answer(msg, () -> {
      JsonObject mark = msg.body();
      ReplayableLetter letter = ReplayableLetter.fromJson(mark.getJsonObject("letter"));
      store.markReplayed(letter.id(), letter.file(), letter.line(), mark.getString("outcome"),
          mark.getString("target"), Instant.now());
      return null;
    })));
    consumers.add(bus.localConsumer(Addresses.DLQ_DEPTH, msg -> answer(msg, store::depth)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> unregister() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Dead letters not yet successfully replayed (cheap after the first call: see {@link DeadLetterStore#stats()}). */
  Future<Long> depth() {
    return run(store::depth);
  }

  /** Runs blocking store work on a worker after every earlier call has finished. */
  private <T> Future<T> run(Callable<T> work) {
    return context.executeBlocking(work, true);
  }

  private <T> void answer(Message<?> msg, Callable<T> work) {
    run(work).onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else if (ar.cause() instanceof IllegalArgumentException invalid) {
        msg.fail(FailureCodes.BAD_REQUEST, invalid.getMessage());
      } else if (ar.cause() instanceof NoSuchElementException missing) {
        msg.fail(FailureCodes.NOT_FOUND, missing.getMessage());
      } else {
        LOG.error("DLQ request to [{}] failed", msg.address(), ar.cause());
        msg.fail(FailureCodes.INTERNAL, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  /** Query parameters travel as [name, value] pairs, so that a name given twice is still seen (and rejected). */
  private static List<Map.Entry<String, String>> params(JsonArray pairs) {
    List<Map.Entry<String, String>> params = new ArrayList<>(pairs.size());
    for (Object pair : pairs) {
      JsonArray nameValue = (JsonArray) pair;
      params.add(Map.entry(nameValue.getString(0), nameValue.getString(1)));
    }
    return params;
  }
}
