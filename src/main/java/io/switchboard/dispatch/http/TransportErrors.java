package io.switchboard.dispatch.http;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.switchboard.dispatch.FailureDetail;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.vertx.core.http.HttpClosedException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Sorts a failed request into an {@link Outcome.TransportError} with a short detail text.
 *
 * <p>The details are written here rather than copied from exception messages because those can quote the request
 * URI (whose query may hold a token); only the last resort, {@link TransportError#OTHER}, carries an
 * exception's own message, clipped and with anything that looks like a query string cut out.
 */
final class TransportErrors {

  private static final int MAX_DETAIL = 160;
  /** A query string inside a message: {@code ?token=...} up to the next blank. */
  private static final Pattern QUERY = Pattern.compile("\\?\\S*");

  private TransportErrors() {
  }

  static Outcome.TransportFailure classify(Throwable failure, long timeoutMs) {
    // Vert.x and Netty wrap the socket-level cause at times; the innermost telling one decides.
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Outcome.TransportFailure known = known(t, timeoutMs);
      if (known != null) {
        return known;
      }
    }
    String message = failure.getMessage() == null ? "" : ": " + QUERY.matcher(failure.getMessage()).replaceAll("?…");
    return new Outcome.TransportFailure(TransportError.OTHER, clip(failure.getClass().getSimpleName() + message));
  }

  private static Outcome.TransportFailure known(Throwable t, long timeoutMs) {
    // Netty's ConnectTimeoutException is a ConnectException: test timeouts first.
    if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
      return failure(TransportError.TIMEOUT, "no complete answer within " + timeoutMs + " ms");
    }
    if (t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException) {
      return failure(TransportError.TIMEOUT, "connect timed out after " + timeoutMs + " ms");
    }
    if (t instanceof ConnectException) {
      return failure(TransportError.CONNECTION_REFUSED, "connection refused");
    }
    if (t instanceof HttpClosedException || t instanceof ClosedChannelException
        || t instanceof PrematureChannelClosureException) {
      return failure(TransportError.CONNECTION_RESET, "connection closed before the answer was complete");
    }
    if (t instanceof IOException && t.getMessage() != null) {
      String message = t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("connection reset") || message.contains("broken pipe")) {
        return failure(TransportError.CONNECTION_RESET, "connection reset by peer");
      }
    }
    if (t instanceof UnknownHostException) {
      return failure(TransportError.OTHER, "unknown host");
    }
    if (t instanceof SSLException) {
      return failure(TransportError.OTHER, "TLS failure (" + t.getClass().getSimpleName() + ")");
    }
    return null;
  }

  private static Outcome.TransportFailure failure(TransportError error, String detail) {
    return new Outcome.TransportFailure(error, detail);
  }

  private static String clip(String text) {
    return FailureDetail.clip(text, MAX_DETAIL);
  }
}
