package io.switchboard.dispatch.kinesis;

import io.switchboard.dispatch.TargetTypes;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.SwitchboardConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KinesisTargetOptionsTest {

  private static final Map<String, String> ENV = Map.of("AK", "AKIAEXAMPLE", "SK", "s3cret-key", "ST", "s3ssion",
      "EMPTY", " ");

  private static KinesisTargetOptions parse(String json) {
    return KinesisTargetOptions.from(new ConfigNode(new JsonObject(json), "targets[0]"), ENV::get);
  }

  private static String error(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  @Test
  void verifiesThatAStreamAndRegionAloneGiveTheDocumentedDefaultsAndCommonKeysAreAccepted() {
    KinesisTargetOptions options = parse("{\"id\":\"k\",\"type\":\"kinesis\",\"enabled\":true,\"filter\":{},"
        + "\"retry\":{},\"queue\":{},\"payload\":{\"shape\":\"enriched\"},\"instances\":2,\"_comment\":\"x\","
        + "\"stream\":\"genesys-events\",\"region\":\"eu-west-1\"}");
    assertEquals("genesys-events", options.stream());
    assertNull(options.streamArn());
    assertEquals("eu-west-1", options.region());
    assertNull(options.endpoint());
    assertInstanceOf(PartitionKeys.ByConversation.class, options.partitionKeys());
    assertEquals(1_048_576, options.maxRecordBytes());
    assertEquals(5_242_880, options.maxRequestBytes());
    assertEquals(500, options.maxBatch());
    assertEquals(10, options.lingerMs());
    assertEquals(4, options.maxRequestsInFlight());
    assertEquals(10_000, options.timeoutMs());
    assertFalse(options.http1());
    assertTrue(options.cbor());
    assertNull(options.staticCredentials());
  }

  @Test
  void verifiesThatEveryKeyIsReadAndCredentialsComeFromTheNamedVariables() {
    KinesisTargetOptions options = parse("{\"stream\":\"s\",\"region\":\"us-east-1\","
        + "\"endpoint\":\"http://127.0.0.1:4567\",\"partitionKey\":\"queue\",\"maxRecordBytes\":10485760,"
        + "\"maxRequestBytes\":10485760,\"maxBatch\":100,\"lingerMs\":0,\"maxRequestsInFlight\":8,\"timeoutMs\":2000,"
        + "\"http1\":true,\"cbor\":false,"
        + "\"staticCredentialsFromEnv\":{\"accessKeyId\":\"AK\",\"secretAccessKey\":\"SK\",\"sessionToken\":\"ST\"}}");
    assertEquals(URI.create("http://127.0.0.1:4567"), options.endpoint());
    assertInstanceOf(PartitionKeys.ByQueue.class, options.partitionKeys());
    assertEquals(10_485_760, options.maxRecordBytes());
    assertEquals(100, options.maxBatch());
    assertEquals(0, options.lingerMs());
    assertEquals(8, options.maxRequestsInFlight());
    assertEquals(2000, options.timeoutMs());
    assertTrue(options.http1());
    assertFalse(options.cbor());
    assertEquals("AKIAEXAMPLE", options.staticCredentials().accessKeyId());
    assertEquals("s3cret-key", options.staticCredentials().secretAccessKey());
    assertEquals("s3ssion", options.staticCredentials().sessionToken());
  }

  @Test
  void verifiesThatToStringNamesTheVariablesButNeverACredential() {
    KinesisTargetOptions options = parse("{\"stream\":\"s\",\"region\":\"us-east-1\","
        + "\"staticCredentialsFromEnv\":{\"accessKeyId\":\"AK\",\"secretAccessKey\":\"SK\",\"sessionToken\":\"ST\"}}");
    String text = options.toString();
    assertTrue(text.contains("AK"), text);
    assertFalse(text.contains("AKIAEXAMPLE") || text.contains("s3cret") || text.contains("s3ssion"), text);
  }

  @Test
  void verifiesThatAStreamArnGivesTheRegionAndMustAgreeWithAnExplicitOne() {
    KinesisTargetOptions options = parse("{\"streamArn\":\"arn:aws:kinesis:eu-central-1:123456789012:stream/events\"}");
    assertEquals("eu-central-1", options.region());
    assertNull(options.stream());
    assertEquals("arn:aws:kinesis:eu-central-1:123456789012:stream/events", options.streamLabel());
    assertEquals("targets[0].region: is us-east-1 but streamArn names eu-central-1",
        error("{\"streamArn\":\"arn:aws:kinesis:eu-central-1:123456789012:stream/events\",\"region\":\"us-east-1\"}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"region\":\"us-east-1\"}|targets[0].stream: give exactly one of stream (a name) and streamArn",
      "{\"stream\":\"s\",\"streamArn\":\"arn:aws:kinesis:us-east-1:123456789012:stream/s\"}|targets[0].stream: give exactly one",
      "{\"stream\":\"a b\",\"region\":\"us-east-1\"}|targets[0].stream: must be 1-128 of [a-zA-Z0-9_.-]",
      "{\"streamArn\":\"arn:aws:sqs:us-east-1:123456789012:q\"}|targets[0].streamArn: must look like arn:aws:kinesis:",
      "{\"stream\":\"s\"}|targets[0].region: is required",
      "{\"stream\":\"s\",\"region\":\"Europe\"}|targets[0].region: must be an AWS region",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"endpoint\":\"localhost:4567\"}|targets[0].endpoint: must be an absolute http or https URL",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"endpoint\":\"http://u:p@h:1\"}|targets[0].endpoint: must be scheme://host",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"maxBatch\":501}|targets[0].maxBatch: must be between 1 and 500, got 501",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"maxRecordBytes\":20000000}|targets[0].maxRecordBytes: must be between 1024 and 10485760",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"maxRecordBytes\":8192,\"maxRequestBytes\":4096}|targets[0].maxRequestBytes: must be at least maxRecordBytes (8192), got 4096",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"partitionKey\":\"agent\"}|targets[0].partitionKey: must be \"conversation\", \"queue\" or",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"partitionKey\":{\"pointer\":\"detail\"}}|targets[0].partitionKey.pointer: must be a JSON pointer starting with '/'",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"partitionKey\":{\"pointer\":\"/a\",\"hashed\":true}}|targets[0].partitionKey.hashed: unknown key",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"staticCredentialsFromEnv\":{\"accessKeyId\":\"AK\",\"secretAccessKey\":\"NOPE\"}}|targets[0].staticCredentialsFromEnv.secretAccessKey: environment variable NOPE is not set or empty",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EMPTY\",\"secretAccessKey\":\"SK\"}}|targets[0].staticCredentialsFromEnv.accessKeyId: environment variable EMPTY is not set or empty",
      "{\"stream\":\"s\",\"region\":\"us-east-1\",\"accessKey\":\"AKIA\"}|targets[0].accessKey: unknown key",
  })
  void verifiesThatBadOptionsStopTheStartNamingTheKey(String json, String expectedStart) {
    String message = error(json);
    assertTrue(message.startsWith(expectedStart), message);
  }

  @Test
  void verifiesThatAKinesisTargetHoldsEnoughRecordsInFlightToFillItsRequests() {
    JsonObject config = new JsonObject().put("targets", new JsonArray()
        .add(new JsonObject().put("id", "k").put("type", "kinesis").put("stream", "s").put("region", "us-east-1"))
        .add(new JsonObject().put("id", "k2").put("type", "kinesis").put("stream", "s").put("region", "us-east-1")
            .put("queue", new JsonObject().put("maxInFlight", 50)))
        .add(new JsonObject().put("id", "f").put("type", "file").put("path", "x.jsonl")));
    SwitchboardConfig parsed = SwitchboardConfig.fromJson(config, TargetTypes.BUILT_IN);
    assertEquals(2000, parsed.targets().get(0).maxInFlight());
    assertEquals(50, parsed.targets().get(1).maxInFlight());
    assertEquals(16, parsed.targets().get(2).maxInFlight());
  }

  @Test
  void verifiesThatTheShippedTryOutConfigIsValid() throws Exception {
    SwitchboardConfig parsed = SwitchboardConfig.fromJson(
        new JsonObject(java.nio.file.Files.readString(java.nio.file.Path.of("conf/example-kinesis.json"))),
        TargetTypes.BUILT_IN);
    assertEquals(2, parsed.targets().size());
    KinesisTargetOptions queues = KinesisTargetOptions.from(parsed.targets().get(1).options());
    assertInstanceOf(PartitionKeys.ByQueue.class, queues.partitionKeys());
    assertTrue(parsed.targets().get(1).enriched());
  }
}
