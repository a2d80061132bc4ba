package io.switchboard.config;

import io.switchboard.dispatch.TargetTypes;
import io.switchboard.it.ShippedJvmOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped bounds must fit the shipped heap; bigger bounds must be reported. */
class MemoryBudgetTest {

  private static SwitchboardConfig shipped() throws Exception {
    return SwitchboardConfig.fromJson(new JsonObject(Files.readString(Path.of("conf/switchboard.json"))),
        TargetTypes.BUILT_IN);
  }

  /** The -Xmx of conf/jvm.options, in bytes. */
  static long shippedMaxHeap() throws Exception {
    List<String> flags = ShippedJvmOptions.read().stream().filter(l -> l.startsWith("-Xmx")).toList();
    assertEquals(1, flags.size(), "conf/jvm.options sets -Xmx once");
    String value = flags.get(0).substring(4).toLowerCase();
    long unit = value.endsWith("g") ? 1L << 30 : value.endsWith("m") ? 1L << 20 : 1;
    return Long.parseLong(value.replaceAll("[gmk]$", "")) * unit;
  }

  @Test
  void verifiesThatTheShippedBoundsFitTheShippedHeap() throws Exception {
    SwitchboardConfig config = shipped();
    long full = MemoryBudget.fullBytes(config);
    // 16 shards x (100k dedup events x 47 B + 4k conversations x 1,850 B + 3k x 256 B) + 2 x 5k in flight x 4 KB
    assertEquals(16L * (100_000 * 47 + 4_000 * 1_850 + 3_000 * 256) + 2L * 5_000 * 4_000, full);
    assertTrue(MemoryBudget.fits(config, shippedMaxHeap()), full + " B against -Xmx " + shippedMaxHeap());
  }

  @Test
  void verifiesThatTheReadmeRunsTheJarWithTheShippedFlags() throws Exception {
    List<String> shipped = ShippedJvmOptions.read();
    String run = Files.readAllLines(Path.of("README.md")).stream()
        .filter(line -> line.contains("package && java ")).findFirst().orElseThrow();
    String flags = run.substring(run.indexOf("java ") + 5, run.indexOf(" -jar "));
    assertEquals(shipped, List.of(flags.split(" ")), "README quick start against conf/jvm.options");
  }

  @Test
  void verifiesThatKafkaConsumersAndEnrichmentSummariesCount() throws Exception {
    JsonObject json = new JsonObject(Files.readString(Path.of("conf/switchboard.json")));
    long base = MemoryBudget.fullBytes(SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN));
    json.put("sources", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "kafka").put("id", "k")
        .put("bootstrapServers", "127.0.0.1:9092").put("topics", new io.vertx.core.json.JsonArray().add("t"))
        .put("groupId", "g").put("instances", 2).put("maxInFlight", 1_000)));
    json.put("genesys", new JsonObject().put("region", "eu-west-1").put("clientId", "c")
        .put("clientSecretEnv", "SECRET"));
    json.getJsonObject("state").put("enrichment", new JsonObject().put("enabled", true));
    SwitchboardConfig config = SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN, name -> "x");
    // 2 consumers x 1,000 in flight x 4 KB; 16 shards x min(10,000 cached, 4,000 conversations) x 700 B
    assertEquals(base + 2L * 1_000 * 4_000 + 16L * 4_000 * 700, MemoryBudget.fullBytes(config));
  }

  @Test
  void verifiesThatBoundsBeyondTheHeapAreReported() throws Exception {
    JsonObject json = new JsonObject(Files.readString(Path.of("conf/switchboard.json")));
    json.getJsonObject("state").put("maxConversationsPerShard", 8_000);
    SwitchboardConfig bigger = SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN);
    assertFalse(MemoryBudget.fits(bigger, shippedMaxHeap()));
    assertTrue(MemoryBudget.fits(bigger, 2L << 30));
  }
}
