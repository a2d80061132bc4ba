package io.switchboard.state;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CompactIdsTest {

  @Test
  void verifiesThatIdsRoundTripExactlyWhateverTheirShape() {
    CompactIds ids = new CompactIds();
    String uuid = UUID.randomUUID().toString();
    String upper = uuid.toUpperCase();
    String[] all = {uuid, upper, "", "not-a-uuid", null, "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "00000000-0000-0000-0000-000000000000"};
    for (String id : all) {
      ids.add(id);
    }
    for (int i = 0; i < all.length; i++) {
      assertEquals(all[i], ids.get(i));
      assertEquals(i, ids.indexOf(all[i]));
    }
    assertEquals(-1, ids.indexOf(UUID.randomUUID().toString()));
    assertEquals(-1, ids.indexOf("other"));
  }

  @Test
  void verifiesThatSetOverwritesAcrossShapes() {
    CompactIds ids = new CompactIds();
    ids.add("plain");
    String uuid = UUID.randomUUID().toString();
    ids.set(0, uuid);
    assertEquals(uuid, ids.get(0));
    assertEquals(-1, ids.indexOf("plain"));
    ids.set(0, null);
    assertNull(ids.get(0));
    assertEquals(0, ids.intern(null));
    assertEquals(1, ids.intern(uuid));
  }
}
