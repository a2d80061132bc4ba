package io.switchboard.genesys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Verifies when a token is used, renewed early, and forgotten after a 401. */
class TokenStateTest {

  @Test
  void renewedTheMarginBeforeItExpires() {
    TokenState state = new TokenState(300_000);
    assertNull(state.usable(0), "no token yet");
    state.accept("t1", 86_399, 0);
    assertEquals("t1", state.usable(86_099_000 - 1));
    assertNull(state.usable(86_099_000), "renewed five minutes before expiry");
  }

  @Test
  void aShortLivedTokenIsRenewedHalfWay() {
    TokenState state = new TokenState(300_000);
    state.accept("t1", 10, 1_000);
    assertEquals("t1", state.usable(5_999));
    assertNull(state.usable(6_000));
  }

  @Test
  void a401ForgetsTheTokenButNotANewerOne() {
    TokenState state = new TokenState(0);
    state.accept("t1", 100, 0);
    state.accept("t2", 100, 10);
    state.invalidate("t1");
    assertEquals("t2", state.usable(20), "a late 401 for the old token does not drop the new one");
    state.invalidate("t2");
    assertNull(state.usable(20));
  }

  @Test
  void hostsByRegionAndByBase() {
    GenesysHosts eu = GenesysHosts.ofRegion("eu-west-1").orElseThrow();
    assertEquals("https://api.mypurecloud.ie", eu.apiBase().toString());
    assertEquals("https://login.mypurecloud.ie", eu.loginBase().toString());
    GenesysHosts local = GenesysHosts.ofBase(java.net.URI.create("http://127.0.0.1:9400/"));
    assertEquals("http://127.0.0.1:9400", local.apiBase().toString());
    assertEquals(local.apiBase(), local.loginBase());
  }
}
