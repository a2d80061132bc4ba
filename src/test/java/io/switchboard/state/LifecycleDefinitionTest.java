package io.switchboard.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifecycleDefinitionTest {

  @Test
  void verifiesThatTheShippedDefinitionLoads() {
    LifecycleDefinition definition = Samples.shipped();
    assertEquals(List.of("new", "started", "ivr", "queued", "ringing", "connected", "transferred", "wrapping",
        "abandoned", "closed"), definition.states());
    assertEquals("new", definition.initialState());
    assertEquals(Set.of("abandoned", "closed"), definition.terminalStates());
    assertEquals(64, definition.maxStages());
    assertTrue(definition.isOutOfBand("attributes"));
    assertTrue(definition.isOutOfBand("sentiment.changed"));
    assertFalse(definition.isOutOfBand("acd.end"));
    assertEquals(Samples.shippedJson(), definition.toJson());
  }

  @Test
  void verifiesThatAnUnknownTargetStateIsNamedByPath() {
    assertError("lifecycle.transitions[3].to: unknown state 'qeued'",
        json -> transition(json, 3).put("to", "qeued"));
  }

  @Test
  void verifiesThatAnUnknownFromStateIsNamedByPath() {
    assertError("lifecycle.transitions[6].from[1]: unknown state 'ivvr'",
        json -> transition(json, 6).put("from", new JsonArray().add("started").add("ivvr")));
  }

  @Test
  void verifiesThatATerminalStateCannotBeLeft() {
    assertError("lifecycle.transitions[2].from[0]: terminal state 'closed' cannot be left",
        json -> transition(json, 2).put("from", new JsonArray().add("closed")));
  }

  @Test
  void verifiesThatAnUnknownGuardIsNamedByPath() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LifecycleDefinition.fromJson(
        change(json -> transition(json, 16).put("when", new JsonObject().put("acdOutcom", "ANSWERED")))));
    assertTrue(e.getMessage().startsWith("lifecycle.transitions[16].when.acdOutcom: unknown guard 'acdOutcom'"),
        e.getMessage());
  }

  @Test
  void verifiesThatGuardValuesAreTypeChecked() {
    assertError("lifecycle.transitions[0].when.customerEnded: must be true or false",
        json -> transition(json, 0).getJsonObject("when").put("customerEnded", "yes"));
    assertError("lifecycle.transitions[0].when.sessionsOpen: must be a non-negative integer",
        json -> transition(json, 0).getJsonObject("when").put("sessionsOpen", -1));
  }

  @Test
  void verifiesThatAnUndeclaredEventTypeInATransitionIsNamedByPath() {
    assertError("lifecycle.transitions[0].on[2]: unknown event type 'acd.ended' (declare it under lifecycle.events)",
        json -> transition(json, 0).getJsonArray("on").set(2, "acd.ended"));
  }

  @Test
  void verifiesThatAnOutOfBandTypeCannotDriveATransition() {
    assertError("lifecycle.transitions[2].on: 'attributes' is out-of-band and cannot drive a transition",
        json -> transition(json, 2).put("on", "attributes"));
  }

  @Test
  void verifiesThatSessionRulesAreValidated() {
    assertError("lifecycle.events['acd.end'].requires: must name another declared event type, got 'acd.begin'",
        json -> json.getJsonObject("events").getJsonObject("acd.end").put("requires", "acd.begin"));
    assertError("lifecycle.events['user.start'].opens: unknown role 'agnet' (known: customer, ivr, acd, agent, voicemail)",
        json -> json.getJsonObject("events").getJsonObject("user.start").put("opens", "agnet"));
    assertError("lifecycle.events['acw'].colour: unknown key (comments start with '_')",
        json -> json.getJsonObject("events").getJsonObject("acw").put("colour", "blue"));
  }

  @Test
  void verifiesThatTopLevelFieldsAreValidated() {
    assertError("lifecycle.maxStages: must be a positive integer, got 0", json -> json.put("maxStages", 0));
    assertError("lifecycle.maxStages: must be a positive integer, got null", json -> json.remove("maxStages"));
    assertError("lifecycle.initial: unknown state 'fresh'", json -> json.put("initial", "fresh"));
    assertError("lifecycle.terminal[0]: the initial state cannot be terminal",
        json -> json.put("terminal", new JsonArray().add("new")));
    assertError("lifecycle.states[1]: blank, '*' or repeated state 'new'",
        json -> json.getJsonArray("states").set(1, "new"));
    assertError("lifecycle.maxStage: unknown key (comments start with '_')", json -> json.put("maxStage", 8));
    assertError("lifecycle.transitions: must be a non-empty array", json -> json.put("transitions", new JsonArray()));
  }

  @Test
  void verifiesThatAnUnreachableTerminalStateIsRejected() {
    assertError("lifecycle.terminal: state 'abandoned' is not the target of any transition",
        json -> transition(json, 0).put("to", "closed"));
  }

  @Test
  void verifiesThatAnEmptyOrMissingDefinitionFailsLoudly() {
    assertEquals("lifecycle: missing or empty lifecycle definition", assertThrows(IllegalArgumentException.class,
        () -> LifecycleDefinition.fromJson(new JsonObject())).getMessage());
    assertEquals("conf.lifecycle: missing or empty lifecycle definition", assertThrows(IllegalArgumentException.class,
        () -> LifecycleDefinition.fromJson(null, "conf.lifecycle")).getMessage());
  }

  @Test
  void verifiesThatWithMaxStagesKeepsEverythingElse() {
    LifecycleDefinition capped = Samples.shipped().withMaxStages(3);
    assertEquals(3, capped.maxStages());
    assertEquals(256, capped.maxSessions());
    assertEquals(Samples.shipped().states(), capped.states());
  }

  @Test
  void verifiesThatGlobsMatchSuffixesPrefixesAndWholeValues() {
    assertTrue(Guard.glob("*TRANSFER", "CONSULT_TRANSFER"));
    assertTrue(Guard.glob("*TRANSFER", "TRANSFER"));
    assertFalse(Guard.glob("*TRANSFER", "TRANSFERRED"));
    assertTrue(Guard.glob("INQUEUE*", "INQUEUECALL"));
    assertTrue(Guard.glob("ANSWERED", "ANSWERED"));
    assertFalse(Guard.glob("ANSWERED", "ABANDON"));
    assertTrue(Guard.glob("*_*", "NO_ANSWER_TRANSFER"));
  }

  private static JsonObject transition(JsonObject json, int index) {
    return json.getJsonArray("transitions").getJsonObject(index);
  }

  private static JsonObject change(Consumer<JsonObject> edit) {
    JsonObject json = Samples.shippedJson();
    edit.accept(json);
    return json;
  }

  private static void assertError(String expected, Consumer<JsonObject> edit) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LifecycleDefinition.fromJson(change(edit)));
    assertEquals(expected, e.getMessage());
  }
}
