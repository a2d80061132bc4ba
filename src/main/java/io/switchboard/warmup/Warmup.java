package io.switchboard.warmup;

import io.switchboard.dedup.DedupWindow;
import io.switchboard.dispatch.PayloadShaper;
import io.switchboard.filter.FilterInput;
import io.switchboard.filter.TargetFilters;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.switchboard.reorder.LatenessBounds;
import io.switchboard.reorder.ReleaseCause;
import io.switchboard.reorder.ReleaseMode;
import io.switchboard.reorder.ReorderBuffer;
import io.switchboard.reorder.ReorderSettings;
import io.switchboard.reorder.ReorderSink;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationLifecycle;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.StateSettings;
import io.switchboard.state.Transition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs synthetic conversations through the pipeline's own logic before the server takes traffic: parse, normalise
 * and validate, fingerprint, dedup, reorder, the lifecycle state machine and snapshot, every target's filter and
 * payload shape. Everything is thrown away afterwards; nothing is sent anywhere.
 *
 * <p>Why: on a small box the JIT compiler competes with the event loops for the first tens of seconds under load
 * (the neutral harness's 50k run spent about a third of the server's CPU in C2). Compiling the hot pure code first,
 * on a worker thread while nothing else runs, moves that work before {@code /ready} instead of into the first
 * minute of real traffic. {@code warmup.events: 0} turns it off.
 */
public final class Warmup {

  /** What the warm-up did: a test checks that the synthetic conversations went all the way through. */
  public record Report(int events, int admitted, int applied, int rejected, int selections, long millis) {
  }

  /** The conversation id the templates share; each synthetic conversation gets its own. */
  static final String TEMPLATE_CONVERSATION = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";
  static final List<String> TEMPLATES = List.of("voice-01-customer-start.json", "voice-02-flow-start.json",
      "voice-03-flow-end.json", "voice-04-acd-start.json", "voice-05-acd-end.json", "voice-06-user-start.json",
      "voice-07-attributes.json", "voice-08-customer-end.json", "voice-09-user-end.json", "voice-10-acw.json");

  private final EventNormalizer normalizer;
  private final LifecycleDefinition lifecycle;
  private final TargetFilters filters;
  private final List<PayloadShaper> shapers;
  private final List<String> templates;
  private final List<String> templateIds = new ArrayList<>();

  public Warmup(EventNormalizer normalizer, LifecycleDefinition lifecycle, TargetFilters filters,
                List<PayloadShaper> shapers) {
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.filters = Objects.requireNonNull(filters, "filters");
    this.shapers = List.copyOf(shapers);
    this.templates = TEMPLATES.stream().map(Warmup::read).toList();
    for (String template : templates) {
      templateIds.add(new JsonObject(template).getString("id"));
    }
  }

  /** Runs about {@code events} events (whole conversations) and reports; blocking, for a worker thread. */
  public Report run(int events) {
    long started = System.nanoTime();
    Counts counts = new Counts();
    DedupWindow dedup = new DedupWindow(3_600_000, Math.max(1, events));
    ConversationStore store = new ConversationStore(lifecycle, new StateSettings(60_000, 60_000, 10_000, 20,
        64 * 1024, false));
    ReorderBuffer reorder = new ReorderBuffer(new ReorderSettings(ReleaseMode.ORDERED, 2_000, 10_000, 256, 60_000),
        // Events arrive 1 ms apart on this fake clock: a 5 ms bound puts every swapped pair back in order.
        LatenessBounds.fixed(5), id -> new ConversationLifecycle(lifecycle), new ReorderSink() {
          @Override
          public void release(PipelineEvent event, ReleaseCause cause, long heldMillis) {
            apply(store, event, counts);
          }

          @Override
          public boolean late(PipelineEvent event, long delayMillis) {
            apply(store, event, counts);
            return true;
          }
        });
    long now = 0;
    for (int conversation = 0; counts.events < events; conversation++) {
      String id = new UUID(0x5b0a_0000_0000_4000L | conversation, 0x8000_0000_0000_0000L | conversation).toString();
      // Newest first within each pair, as real traffic often is: reorder has something to put right.
      for (int i = 0; i < templates.size(); i++) {
        int step = i % 2 == 0 && i + 1 < templates.size() ? i + 1 : i % 2 == 1 ? i - 1 : i;
        String text = templates.get(step).replace(TEMPLATE_CONVERSATION, id)
            .replace(templateIds.get(step), UUID.randomUUID().toString());
        admit(Buffer.buffer(text), dedup, reorder, now++, counts);
        reorder.advance(now);
      }
    }
    reorder.flushAll();
    return new Report(counts.events, counts.admitted, counts.applied, counts.rejected, counts.selections,
        (System.nanoTime() - started) / 1_000_000);
  }

  private void admit(Buffer bytes, DedupWindow dedup, ReorderBuffer reorder, long now, Counts counts) {
    counts.events++;
    Object json = bytes.toJsonValue();
    NormalizeResult result = normalizer.normalize((JsonObject) json, bytes, "warmup", Ticket.NONE,
        System.currentTimeMillis());
    if (!(result instanceof NormalizeResult.Normalized normalized)) {
      return;
    }
    PipelineEvent event = normalized.event();
    if (dedup.checkAndRemember(event.eventId(), event.fingerprint(), now) == DedupVerdict.ACCEPTED) {
      counts.admitted++;
      reorder.offer(event, now);
    }
  }

  private void apply(ConversationStore store, PipelineEvent event, Counts counts) {
    long now = System.currentTimeMillis();
    ApplyResult result = store.apply(event, now);
    if (result.transition() instanceof Transition.Rejected) {
      counts.rejected++;
      return;
    }
    counts.applied++;
    Buffer snapshot = store.get(event.conversationId()).snapshot().toBuffer();
    ProcessedEvent processed = new ProcessedEvent(event, result.state(), result.stage(), snapshot, now,
        result.violation());
    String[] matched = filters.match(() -> FilterInput.compose(event.payload(), snapshot, event.eventType(),
        event.late()));
    for (int i = 0; i < matched.length && i < shapers.size(); i++) {
      if (matched[i] != null) {
        counts.selections++;
        shapers.get(i).shape(processed, matched[i]);
        PayloadShaper.idempotencyKey(event);
      }
    }
  }

  private static String read(String name) {
    try (InputStream in = Warmup.class.getResourceAsStream("/warmup/" + name)) {
      if (in == null) {
        throw new IllegalStateException("warm-up template " + name + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Tallies of one run; confined to the running thread. */
  private static final class Counts {
    int events;
    int admitted;
    int applied;
    int rejected;
    int selections;
  }
}
