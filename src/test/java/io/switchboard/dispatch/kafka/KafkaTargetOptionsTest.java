package io.switchboard.dispatch.kafka;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.TargetTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and validating a kafka target's keys, and the producer properties they become. */
class KafkaTargetOptionsTest {

  private static final Map<String, String> ENV = Map.of("KAFKA_PW", "pa\"ss-s3cret", "EMPTY", "");
  private static final String MINIMAL = "\"bootstrapServers\":\"k1:9092,k2:9093\",\"topic\":\"genesys.events\"";

  private static KafkaTargetOptions parse(String json) {
    return KafkaTargetOptions.from(new ConfigNode(new JsonObject(json), "targets[0]"), ENV::get);
  }

  private static String error(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  @Test
  void verifiesThatATopicAndBootstrapServersAloneGiveTheDocumentedDefaultsAndTheOwnedProducerProperties() {
    KafkaTargetOptions options = parse("{\"id\":\"crm-kafka\",\"type\":\"kafka\",\"enabled\":true,\"filter\":{},"
        + "\"retry\":{},\"queue\":{},\"payload\":{\"shape\":\"enriched\"},\"instances\":2,\"_comment\":\"x\","
        + MINIMAL + "}");
    assertEquals("genesys.events", options.topic());
    assertEquals("k1:9092,k2:9093", options.connection().bootstrapServers());
    assertInstanceOf(RecordKeys.ByConversation.class, options.keys());
    assertEquals("idempotency-key", options.idempotencyHeader());
    assertEquals(500, options.maxBatch());
    assertEquals(5, options.lingerMs());
    assertEquals(65_536, options.batchBytes());
    assertEquals("lz4", options.compression());
    assertEquals(30_000, options.deliveryTimeoutMs());
    assertEquals(10_000, options.requestTimeoutMs());
    assertEquals(1_048_576, options.maxRecordBytes());
    assertEquals(5_000, options.maxBlockMs());
    assertEquals("switchboard-crm-kafka", options.clientId());
    Map<String, Object> producer = options.producerConfig("switchboard-crm-kafka-7");
    assertEquals("switchboard-crm-kafka-7", producer.get("client.id"));
    assertEquals("k1:9092,k2:9093", producer.get("bootstrap.servers"));
    assertEquals("PLAINTEXT", producer.get("security.protocol"));
    assertEquals("true", producer.get("enable.idempotence"));
    assertEquals("all", producer.get("acks"));
    assertEquals("5", producer.get("max.in.flight.requests.per.connection"));
    assertEquals(Integer.toString(Integer.MAX_VALUE), producer.get("retries"));
    assertEquals("false", producer.get("partitioner.ignore.keys"));
    assertEquals("5000", producer.get("max.block.ms"));
    assertEquals("5", producer.get("linger.ms"));
    assertEquals("65536", producer.get("batch.size"));
    assertEquals("lz4", producer.get("compression.type"));
    assertEquals("30000", producer.get("delivery.timeout.ms"));
    assertEquals("10000", producer.get("request.timeout.ms"));
    assertEquals(Integer.toString(1_048_576 + KafkaTargetOptions.FRAMING_ALLOWANCE_BYTES), producer.get("max.request.size"));
    assertEquals("org.apache.kafka.common.serialization.StringSerializer", producer.get("key.serializer"));
    assertEquals("org.apache.kafka.common.serialization.ByteArraySerializer", producer.get("value.serializer"));
  }

  @Test
  void verifiesThatEveryKeyIsReadAndFreePropertiesPassThrough() {
    KafkaTargetOptions options = parse("{" + MINIMAL + ",\"key\":{\"pointer\":\"/detail/eventBody/queueId\"},"
        + "\"idempotencyHeader\":\"x-dedup\",\"maxBatch\":100,\"lingerMs\":0,\"batchBytes\":16384,"
        + "\"compression\":\"zstd\",\"deliveryTimeoutMs\":8000,\"requestTimeoutMs\":2000,\"maxRecordBytes\":65536,"
        + "\"properties\":{\"buffer.memory\":67108864,\"client.id\":\"contact-center\"}}");
    assertEquals(new RecordKeys.ByPointer("/detail/eventBody/queueId"), options.keys());
    assertEquals("x-dedup", options.idempotencyHeader());
    assertEquals(100, options.maxBatch());
    assertEquals(0, options.lingerMs());
    assertEquals(16_384, options.batchBytes());
    assertEquals("zstd", options.compression());
    assertEquals(8_000, options.deliveryTimeoutMs());
    assertEquals(2_000, options.requestTimeoutMs());
    assertEquals(2_000, options.maxBlockMs(), "never longer than a request may take");
    assertEquals(65_536, options.maxRecordBytes());
    assertEquals("contact-center", options.clientId(), "a client.id of the user's is the prefix");
    Map<String, Object> producer = options.producerConfig("contact-center-1");
    assertEquals("67108864", producer.get("buffer.memory"));
    assertEquals("contact-center-1", producer.get("client.id"));
    assertEquals("2000", producer.get("max.block.ms"));
  }

  @Test
  void verifiesThatTheSaslPasswordComesFromTheEnvironmentAndToStringNeverShowsIt() {
    KafkaTargetOptions options = parse("{" + MINIMAL + ",\"securityProtocol\":\"SASL_SSL\","
        + "\"sasl\":{\"mechanism\":\"SCRAM-SHA-512\",\"username\":\"switchboard\",\"passwordEnv\":\"KAFKA_PW\"}}");
    Map<String, Object> producer = options.producerConfig("c-1");
    assertEquals("SASL_SSL", producer.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", producer.get("sasl.mechanism"));
    String jaas = producer.get("sasl.jaas.config").toString();
    assertTrue(jaas.contains("ScramLoginModule required username=\"switchboard\" password=\"pa\\\"ss-s3cret\";"), jaas);
    String text = options.toString();
    assertTrue(text.contains("SCRAM-SHA-512 as switchboard"), text);
    assertFalse(text.contains("s3cret"), text);
    assertFalse(text.contains("jaas"), text);
    assertEquals("targets[0].sasl.passwordEnv: environment variable NOPE is not set", error("{" + MINIMAL
        + ",\"securityProtocol\":\"SASL_PLAINTEXT\",\"sasl\":{\"username\":\"u\",\"passwordEnv\":\"NOPE\"}}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"bootstrapServers\":\"k:9092\"}|targets[0].topic: is required",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"a b\"}|targets[0].topic: must be a Kafka topic name",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"..\"}|targets[0].topic: must be a Kafka topic name",
      "{\"topic\":\"t\"}|targets[0].bootstrapServers: is required",
      "{\"bootstrapServers\":\"k\",\"topic\":\"t\"}|targets[0].bootstrapServers: must be host:port",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"stream\":\"s\"}|targets[0].stream: unknown key",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"compression\":\"brotli\"}|targets[0].compression: must be one of",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"maxRecordBytes\":100}|targets[0].maxRecordBytes: must be between 1024 and 33554432",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"maxBatch\":0}|targets[0].maxBatch: must be between 1 and 10000",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"requestTimeoutMs\":20000,\"deliveryTimeoutMs\":15000}|targets[0].deliveryTimeoutMs: must be at least lingerMs + requestTimeoutMs (20005)",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"key\":\"queue\"}|targets[0].key: must be \"conversation\" or",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"key\":{\"pointer\":\"detail\"}}|targets[0].key.pointer: must be a JSON pointer starting with '/'",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"key\":{\"pointer\":\"/a\",\"hash\":true}}|targets[0].key.hash: unknown key",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"idempotencyHeader\":\"has space\"}|targets[0].idempotencyHeader: must be 1-64 of",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"idempotencyHeader\":\"conversation-id\"}|targets[0].idempotencyHeader: 'conversation-id' is a header every record carries",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"acks\":\"1\"}}|targets[0].properties.acks: is set by Switchboard; remove it",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"enable.idempotence\":false}}|targets[0].properties.enable.idempotence: is set by Switchboard; remove it",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"max.in.flight.requests.per.connection\":10}}|targets[0].properties.max.in.flight.requests.per.connection: is set by Switchboard",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"value.serializer\":\"x.Y\"}}|targets[0].properties.value.serializer: is set by Switchboard",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"bootstrap.servers\":\"other:9092\"}}|targets[0].properties.bootstrap.servers: is set by Switchboard",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"linger.ms\":100}}|targets[0].properties.linger.ms: is set by this target's key lingerMs; use that instead",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"max.request.size\":100}}|targets[0].properties.max.request.size: is set by this target's key maxRecordBytes",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"transactional.id\":\"x\"}}|targets[0].properties.transactional.id: the kafka target does not use transactions",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"partitioner.class\":\"x.Y\"}}|targets[0].properties.partitioner.class: records are partitioned by their key",
      "{\"bootstrapServers\":\"k:9092\",\"topic\":\"t\",\"properties\":{\"buffer.memory\":\"lots\"}}|targets[0].properties: Invalid value lots for configuration buffer.memory",
  })
  void verifiesThatBadOptionsStopTheStartNamingTheKey(String json, String expectedStart) {
    String message = error(json);
    assertTrue(message.startsWith(expectedStart), message);
  }

  @Test
  void verifiesThatAKafkaTargetIsRegisteredKeyedAndOrderedByTheSameKeyWithRoomToBatch() {
    JsonObject config = new JsonObject().put("targets", new JsonArray()
        .add(new JsonObject().put("id", "by-queue").put("type", "kafka").put("bootstrapServers", "k:9092")
            .put("topic", "t").put("key", new JsonObject().put("pointer", "/detail/eventBody/queueId")))
        .add(new JsonObject().put("id", "small").put("type", "kafka").put("bootstrapServers", "k:9092")
            .put("topic", "t").put("queue", new JsonObject().put("maxInFlight", 50))));
    SwitchboardConfig parsed = SwitchboardConfig.fromJson(config, TargetTypes.BUILT_IN);
    TargetConfig byQueue = parsed.targets().get(0);
    assertEquals(2000, byQueue.maxInFlight());
    assertEquals(50, parsed.targets().get(1).maxInFlight());

    Delivery queued = KafkaDeliveryChannelTest.delivery("conv-1", 1, 100, "queue-7");
    Delivery unqueued = KafkaDeliveryChannelTest.delivery("conv-2", 2, 100, null);
    var orderingKey = TargetTypes.BUILT_IN.of(byQueue).orderingKey(byQueue);
    KafkaTargetOptions options = KafkaTargetOptions.from(byQueue.options());
    assertEquals("queue-7", orderingKey.of(queued.event()));
    assertEquals("queue-7", options.keys().keyOf(queued.event()));
    assertEquals("conv-2", orderingKey.of(unqueued.event()), "no queue id: the conversation id");
    assertEquals("conv-2", options.keys().keyOf(unqueued.event()));
  }
}
