package io.switchboard.dispatch;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The text a delivery failure leaves in logs, dead letters and {@code /ready}: the real cause, kept short. */
public final class FailureDetail {

  private FailureDetail() {
  }

  /** The cause inside the wrappers that async clients (AWS SDK, Kafka producer futures) put around it. */
  public static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** {@code text} cut to {@code max} characters, the last one an ellipsis where it was cut. */
  public static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
