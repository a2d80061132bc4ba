package io.switchboard.kafka;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Verifies that a note survives the round trip and that metadata other tools commit is not mistaken for one. */
class OffsetNoteTest {

  @Test
  void roundTrips() {
    assertEquals(OptionalLong.of(12345), OffsetNote.parse(OffsetNote.of(12345)));
  }

  @Test
  void foreignOrDamagedMetadataIsNoNote() {
    assertEquals(OptionalLong.empty(), OffsetNote.parse(null));
    assertEquals(OptionalLong.empty(), OffsetNote.parse(""));
    assertEquals(OptionalLong.empty(), OffsetNote.parse("connect-offsets"));
    assertEquals(OptionalLong.empty(), OffsetNote.parse("sb1 settled=twelve"));
  }
}
