package io.switchboard.dispatch.http;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportErrorsTest {

  private static TransportError kind(Throwable failure) {
    return TransportErrors.classify(failure, 300).error();
  }

  @Test
  void verifiesThatTimeoutsOfEveryOriginAreTimeouts() {
    assertEquals(TransportError.TIMEOUT, kind(new NoStackTraceTimeoutException("The timeout period of 300ms has been exceeded")));
    assertEquals(TransportError.TIMEOUT, kind(new java.util.concurrent.TimeoutException()));
    assertEquals(TransportError.TIMEOUT, kind(io.netty.handler.timeout.ReadTimeoutException.INSTANCE));
    // A ConnectException too, but a slow network is not a refusal.
    assertEquals(TransportError.TIMEOUT, kind(new ConnectTimeoutException("connection timed out: /10.0.0.1:443")));
    assertEquals(new Outcome.TransportFailure(TransportError.TIMEOUT, "no complete answer within 300 ms"),
        TransportErrors.classify(new NoStackTraceTimeoutException("x"), 300));
  }

  @Test
  void verifiesThatRefusalsAndResetsAreFoundEvenWhenWrapped() {
    assertEquals(TransportError.CONNECTION_REFUSED, kind(new ConnectException("Connection refused: /127.0.0.1:1")));
    assertEquals(TransportError.CONNECTION_REFUSED, kind(new VertxException(new ConnectException("Connection refused"))));
    assertEquals(TransportError.CONNECTION_RESET, kind(new HttpClosedException("Connection was closed")));
    assertEquals(TransportError.CONNECTION_RESET, kind(new ClosedChannelException()));
    assertEquals(TransportError.CONNECTION_RESET, kind(new IOException("recvAddress(..) failed: Connection reset by peer")));
    assertEquals(TransportError.CONNECTION_RESET, kind(new DecoderException(new IOException("Broken pipe"))));
  }

  @Test
  void verifiesThatEverythingElseIsOtherWithAShortDetailAndNoQueryString() {
    assertEquals(new Outcome.TransportFailure(TransportError.OTHER, "unknown host"),
        TransportErrors.classify(new UnknownHostException("crm.invalid"), 300));
    assertEquals(new Outcome.TransportFailure(TransportError.OTHER, "TLS failure (SSLHandshakeException)"),
        TransportErrors.classify(new DecoderException(new SSLHandshakeException("PKIX path building failed")), 300));
    String detail = TransportErrors.classify(
        new IllegalStateException("failed POST /in?code=s3cret&x=1 for crm.example.com"), 300).detail();
    assertEquals("IllegalStateException: failed POST /in?… for crm.example.com", detail);
    String clipped = TransportErrors.classify(new IllegalStateException("x".repeat(1000)), 300).detail();
    assertTrue(clipped.length() <= 160, clipped);
    assertFalse(TransportErrors.classify(new RuntimeException(), 300).detail().isBlank());
  }
}
