package io.switchboard.dispatch.eventbridge;

import io.switchboard.dispatch.TargetTypes;
import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.dispatch.eventbridge.EventBridgeTargetOptions.DetailShape;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventBridgeTargetOptionsTest {

  private static final Map<String, String> ENV = Map.of("EB_KEY", "AKIDEXAMPLE", "EB_SECRET", "s3cr3t-value");

  private static EventBridgeTargetOptions options(String json) {
    return EventBridgeTargetOptions.from(new ConfigNode(new JsonObject(json), "targets[0]"), ENV::get);
  }

  private static String failure(String json) {
    return assertThrows(ConfigException.class, () -> options(json)).getMessage();
  }

  @Test
  void verifiesTheDefaults() {
    EventBridgeTargetOptions o = options("{\"id\":\"bus\",\"type\":\"eventbridge\"}");
    assertEquals("default", o.eventBus());
    assertEquals("switchboard", o.source());
    assertNull(o.detailType());
    assertEquals(DetailShape.GENESYS, o.detail());
    assertNull(o.region());
    assertNull(o.endpoint());
    assertEquals(262_144, o.maxEntryBytes());
    assertFalse(o.http1());
    assertEquals(10_000, o.timeoutMs());
    assertEquals(5, o.lingerMs());
    assertNull(o.staticCredentials());
  }

  @Test
  void verifiesThatEveryKeyIsRead() {
    EventBridgeTargetOptions o = options("{\"id\":\"bus\",\"type\":\"eventbridge\","
        + "\"eventBus\":\"arn:aws:events:eu-west-1:123456789012:event-bus/contact-center\",\"source\":\"com.acme.cc\","
        + "\"detailType\":\"Genesys event\",\"detail\":\"enriched\",\"payload\":{\"shape\":\"enriched\"},"
        + "\"region\":\"eu-west-1\",\"endpoint\":\"http://127.0.0.1:4010\",\"maxEntryBytes\":1048576,\"http1\":true,"
        + "\"timeoutMs\":2500,\"lingerMs\":0,"
        + "\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EB_KEY\",\"secretAccessKey\":\"EB_SECRET\"}}");
    assertEquals("arn:aws:events:eu-west-1:123456789012:event-bus/contact-center", o.eventBus());
    assertEquals("com.acme.cc", o.source());
    assertEquals("Genesys event", o.detailType());
    assertEquals(DetailShape.ENRICHED, o.detail());
    assertEquals("eu-west-1", o.region());
    assertEquals(URI.create("http://127.0.0.1:4010"), o.endpoint());
    assertEquals(1_048_576, o.maxEntryBytes());
    assertTrue(o.http1());
    assertEquals(2500, o.timeoutMs());
    assertEquals(0, o.lingerMs());
    assertEquals(new EventBridgeTargetOptions.EnvCredentials("EB_KEY", "EB_SECRET", null), o.staticCredentials());
  }

  @Test
  void verifiesThatThePartnerBusNameGenesysCreatesIsAccepted() {
    String bus = "aws.partner/genesys.com/cloud/f523d6f3-f25c-45e8-b06e-32f164fd24e5/switchboard-dev";
    assertEquals(bus, options("{\"eventBus\":\"" + bus + "\"}").eventBus());
  }

  @Test
  void verifiesThatDetailFollowsPayloadShapeAndMustAgreeWithIt() {
    assertEquals(DetailShape.ENRICHED, options("{\"payload\":{\"shape\":\"enriched\"}}").detail());
    assertEquals(DetailShape.GENESYS, options("{\"detail\":\"genesys\",\"payload\":{\"shape\":\"original\"}}").detail());
    String message = failure("{\"detail\":\"enriched\"}");
    assertTrue(message.startsWith("targets[0].detail: 'enriched' disagrees with payload.shape 'original'"), message);
    message = failure("{\"detail\":\"genesys\",\"payload\":{\"shape\":\"enriched\"}}");
    assertTrue(message.startsWith("targets[0].detail: 'genesys' disagrees with payload.shape 'enriched'"), message);
    assertTrue(failure("{\"detail\":\"envelope\"}").startsWith("targets[0].detail: must be one of"));
  }

  @Test
  void verifiesThatBadValuesNameTheirKey() {
    assertTrue(failure("{\"eventBus\":\"my bus\"}").startsWith("targets[0].eventBus: must be an event bus name"));
    assertTrue(failure("{\"eventBus\":\"arn:aws:events:eu-west-1:12345:event-bus/x\"}").startsWith("targets[0].eventBus"));
    assertTrue(failure("{\"source\":\"aws.genesys\"}").startsWith("targets[0].source: must not start with 'aws.'"));
    assertTrue(failure("{\"source\":\"\"}").startsWith("targets[0].source: must be 1 to 256 characters"));
    assertTrue(failure("{\"detailType\":\"" + "x".repeat(129) + "\"}").startsWith("targets[0].detailType: must be 1 to 128"));
    assertTrue(failure("{\"region\":\"us-east1\"}").startsWith("targets[0].region: must be an AWS region"));
    assertTrue(failure("{\"endpoint\":\"localhost:4010\"}").startsWith("targets[0].endpoint: must be an absolute http"));
    assertTrue(failure("{\"endpoint\":\"http://key:secret@localhost:4010\"}").startsWith("targets[0].endpoint: must be scheme"));
    assertTrue(failure("{\"maxEntryBytes\":2097152}").startsWith("targets[0].maxEntryBytes: must be between 1024 and 1048576"));
    assertTrue(failure("{\"timeoutMs\":0}").startsWith("targets[0].timeoutMs"));
    assertTrue(failure("{\"lingerMs\":-1}").startsWith("targets[0].lingerMs"));
    assertTrue(failure("{\"streamName\":\"x\"}").startsWith("targets[0].streamName: unknown key"));
  }

  @Test
  void verifiesThatStaticCredentialsMustBeSetInTheEnvironmentAndAreNeverQuoted() {
    String message = failure("{\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EB_KEY\",\"secretAccessKey\":\"NOPE\"}}");
    assertEquals("targets[0].staticCredentialsFromEnv.secretAccessKey: environment variable NOPE is not set or empty",
        message);
    assertTrue(failure("{\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EB_KEY\"}}")
        .startsWith("targets[0].staticCredentialsFromEnv.secretAccessKey: is required"));
    assertTrue(failure("{\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EB_KEY\",\"secretAccessKey\":\"EB_SECRET\","
        + "\"token\":\"X\"}}").startsWith("targets[0].staticCredentialsFromEnv.token: unknown key"));
    EventBridgeTargetOptions o = options("{\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EB_KEY\","
        + "\"secretAccessKey\":\"EB_SECRET\"}}");
    assertFalse(o.toString().contains("s3cr3t-value"), o.toString());
  }

  @Test
  void verifiesThatTheServerConfigAcceptsAnEventBridgeTargetAndChecksItsKeys() {
    JsonObject target = new JsonObject().put("id", "bus").put("type", "eventbridge").put("region", "us-east-1");
    SwitchboardConfig config = SwitchboardConfig.fromJson(new JsonObject().put("targets", new JsonArray().add(target)),
        TargetTypes.BUILT_IN);
    assertEquals("eventbridge", config.targets().get(0).type());
    target.put("source", "aws.events");
    ConfigException e = assertThrows(ConfigException.class,
        () -> SwitchboardConfig.fromJson(new JsonObject().put("targets", new JsonArray().add(target)),
            TargetTypes.BUILT_IN));
    assertTrue(e.getMessage().startsWith("targets[0].source"), e.getMessage());
  }
}
