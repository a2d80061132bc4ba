package io.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateConfigTest {

  private static StateConfig state(String json) {
    return StateConfig.from(new ConfigNode(new JsonObject(json), "state"));
  }

  @Test
  void verifiesThatLifecycleViolationsAreDeadLetteredUnlessFlagIsChosen() {
    assertEquals("deadletter", state("{}").invalidTransitions());
    assertFalse(state("{}").flagInvalidTransitions());
    assertTrue(state("{\"invalidTransitions\": \"flag\"}").flagInvalidTransitions());
    assertFalse(state("{\"invalidTransitions\": \"deadletter\"}").flagInvalidTransitions());
  }

  @Test
  void verifiesThatAnUnknownChoiceIsNamedByItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> state("{\"invalidTransitions\": \"drop\"}"));
    assertTrue(e.getMessage().startsWith("state.invalidTransitions: must be one of "), e.getMessage());
    assertTrue(e.getMessage().endsWith("got 'drop'"), e.getMessage());
  }
}
