package io.switchboard.bench;

import io.switchboard.bench.jmh.Fixtures;
import io.switchboard.dedup.DedupWindow;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.message.PipelineEvent;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.StateSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Memory curves without an end-to-end run: the retained heap of a {@link ConversationStore} holding N open
 * conversations, and of a {@link DedupWindow} remembering N events, in this JVM.
 *
 * <ul>
 *   <li>Conversations: generated answered voice calls ({@link ConversationGenerator}, shipped lifecycle, default
 *       {@link StateSettings} except {@code maxConversations}, raised so nothing is evicted), each with its first
 *       {@code --events-per-conversation} events (default 4: customer.start, flow.start, flow.end, acd.start), so
 *       every one is open, waiting in the queue. Events are normalised as ingest does and then dropped: what stays
 *       is what the store keeps.</li>
 *   <li>Dedup: random UUID envelope ids and 64-hex fingerprints, the bound set to N so the window holds all N.</li>
 * </ul>
 *
 * Retained heap = used heap after {@code System.gc()} with the structure reachable minus the same before it was
 * built; each figure is the median of {@code --samples} gc+read pairs. Give the JVM room:
 * {@code -Dbench.jvm="-Xmx12g"}.
 *
 * <pre>
 * mvn -B -o -q -Pbench test-compile exec:exec -Dbench.jvm="-Xms1g -Xmx12g" \
 *     -Dbench.args="memory --conversations 10000,100000,1000000 --dedup 100000,1000000,10000000"
 * </pre>
 */
public final class MemoryCurves {

  private static final String USAGE = "usage: LoadGenerator memory [--conversations 10000,100000,1000000]"
      + " [--dedup 100000,1000000,10000000] [--events-per-conversation 4] [--samples 5] [--result FILE]";

  private MemoryCurves() {
  }

  public static void main(String[] args) throws Exception {
    long[] conversations = {10_000, 100_000, 1_000_000};
    long[] dedup = {100_000, 1_000_000, 10_000_000};
    int eventsPerConversation = 4;
    int samples = 5;
    String result = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 == args.length) {
        System.err.println(USAGE);
        System.exit(2);
      }
      switch (args[i]) {
        case "--conversations" -> conversations = list(args[i + 1]);
        case "--dedup" -> dedup = list(args[i + 1]);
        case "--events-per-conversation" -> eventsPerConversation = Integer.parseInt(args[i + 1]);
        case "--samples" -> samples = Integer.parseInt(args[i + 1]);
        case "--result" -> result = args[i + 1];
        default -> {
          System.err.println(USAGE);
          System.exit(2);
        }
      }
    }
    JsonObject out = new JsonObject()
        .put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20)
        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
        .put("gc", ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName()).toList().toString());
    JsonArray conversationRows = new JsonArray();
    for (long n : conversations) {
      conversationRows.add(conversations((int) n, eventsPerConversation, samples));
      System.err.println("conversations " + conversationRows.getJsonObject(conversationRows.size() - 1).encode());
    }
    JsonArray dedupRows = new JsonArray();
    for (long n : dedup) {
      dedupRows.add(dedup((int) n, samples));
      System.err.println("dedup " + dedupRows.getJsonObject(dedupRows.size() - 1).encode());
    }
    out.put("conversations", conversationRows).put("dedup", dedupRows);
    String line = out.encode();
    System.out.println(line);
    if (result != null) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(result), line + System.lineSeparator(),
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private static JsonObject conversations(int n, int eventsPerConversation, int samples) {
    LifecycleDefinition lifecycle = Fixtures.lifecycle();
    EventNormalizer normalizer = Fixtures.normalizer();
    StateSettings defaults = StateSettings.DEFAULTS;
    StateSettings settings = new StateSettings(defaults.closedRetentionMillis(), defaults.idleRetentionMillis(),
        Math.max(defaults.maxConversations(), n + 1), defaults.lastEvents(), defaults.maxAttributeBytes());
    GeneratorOptions options = new GeneratorOptions(20_260_101L, GeneratorOptions.DEFAULT_EPOCH_MILLIS, 250,
        1, 0, 0, 0, 0, 0);
    ConversationGenerator generator = new ConversationGenerator(options);
    long before = retainedMedian(samples);
    ConversationStore store = new ConversationStore(lifecycle, settings);
    long seq = 0;
    long events = 0;
    long started = System.nanoTime();
    for (int c = 0; c < n; c++) {
      GeneratedConversation conversation = generator.next();
      List<Send> sends = conversation.sends();
      for (int e = 0; e < Math.min(eventsPerConversation, sends.size()); e++) {
        PipelineEvent event = Fixtures.normalize(normalizer, sends.get(e).body(), seq++);
        ApplyResult applied = store.apply(event, seq);
        if (!applied.applied()) {
          throw new IllegalStateException("lifecycle rejected " + event.eventType() + ": " + applied.transition());
        }
        events++;
      }
    }
    long fillMs = (System.nanoTime() - started) / 1_000_000;
    long after = retainedMedian(samples);
    JsonObject row = new JsonObject()
        .put("conversations", n)
        .put("open", store.openCount())
        .put("size", store.size())
        .put("eventsApplied", events)
        .put("retainedBytes", after - before)
        .put("bytesPerConversation", Math.round((after - before) / (double) n))
        .put("fillMs", fillMs)
        .put("states", new JsonObject(new java.util.LinkedHashMap<>(store.countByState())));
    reach(store);
    return row;
  }

  private static JsonObject dedup(int n, int samples) {
    SplittableRandom random = new SplittableRandom(7);
    long before = retainedMedian(samples);
    DedupWindow window = new DedupWindow(DedupWindow.DEFAULT_TTL_MILLIS, n);
    long now = 1_700_000_000_000L;
    long duplicates = 0;
    long started = System.nanoTime();
    char[] hex = new char[64];
    for (int i = 0; i < n; i++) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      for (int h = 0; h < hex.length; h++) {
        hex[h] = Character.forDigit(random.nextInt(16), 16);
      }
      if (window.checkAndRemember(id, new String(hex), now).toString().contains("DUPLICATE")) {
        duplicates++;
      }
    }
    long fillMs = (System.nanoTime() - started) / 1_000_000;
    long after = retainedMedian(samples);
    JsonObject row = new JsonObject()
        .put("events", n)
        .put("size", window.size())
        .put("duplicates", duplicates)
        .put("retainedBytes", after - before)
        .put("bytesPerEvent", Math.round((after - before) * 100.0 / n) / 100.0)
        .put("allocatedBytes", window.allocatedBytes())
        .put("bytesAtCapacity", DedupWindow.bytesAtCapacity(n))
        .put("fillMs", fillMs);
    reach(window);
    return row;
  }

  /** Keeps {@code o} reachable up to here, so the "after" reading counts it. */
  private static volatile Object sink;

  private static void reach(Object o) {
    sink = o;
    sink = null;
  }

  /** Median over {@code samples} of the used heap right after a full collection. */
  private static long retainedMedian(int samples) {
    long[] used = new long[samples];
    for (int i = 0; i < samples; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used[i] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
    Arrays.sort(used);
    return used[samples / 2];
  }

  private static long[] list(String csv) {
    List<Long> out = new ArrayList<>();
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        out.add(Long.parseLong(part.trim()));
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
