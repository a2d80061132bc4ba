package io.switchboard.dispatch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class FailureDetailTest {

  @Test
  void unwrapsTheAsyncWrappersDownToTheCause() {
    IOException cause = new IOException("connection reset");
    assertSame(cause, FailureDetail.unwrap(new CompletionException(new ExecutionException(cause))));
    assertSame(cause, FailureDetail.unwrap(cause));
    CompletionException empty = new CompletionException("no cause", null);
    assertSame(empty, FailureDetail.unwrap(empty), "a wrapper without a cause is the failure itself");
  }

  @Test
  void clipsLongTextWithAnEllipsisAndLeavesShortTextAlone() {
    assertEquals("short", FailureDetail.clip("short", 5));
    assertEquals("abcd…", FailureDetail.clip("abcdefgh", 5));
  }
}
