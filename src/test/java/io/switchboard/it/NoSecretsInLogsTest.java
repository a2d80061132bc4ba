package io.switchboard.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With every logger at TRACE, a server configured with an ingest key, Basic credentials and an admin key is
 * exercised with right and wrong credentials, valid, invalid and unparseable bodies and admin calls; not one log
 * line (message, arguments, stack trace) contains any of the secrets.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NoSecretsInLogsTest {

  private static final String API_KEY = "ingest-Secret-7f3a";
  private static final String BASIC_PASSWORD = "basic-Secret-91c2";
  private static final String ADMIN_KEY = "admin-Secret-c0d4";
  private static final String BASIC = "Basic " + Base64.getEncoder()
      .encodeToString(("eventbridge:" + BASIC_PASSWORD).getBytes());

  @TempDir
  Path dir;
  private Vertx vertx;
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private Level rootLevel;

  @BeforeEach
  void captureEverything() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    context.getLogger("io.netty").setLevel(Level.TRACE);
    captured.setContext(context);
    captured.start();
    root.addAppender(captured);
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(captured);
    root.setLevel(rootLevel);
    context.getLogger("io.netty").setLevel(Level.WARN);
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatNoSecretAppearsInAnyLogLineAtAnyLevel(VertxTestContext ctx) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("http").put("apiKey", API_KEY).put("adminKey", ADMIN_KEY)
        .put("basicAuth", new JsonObject().put("username", "eventbridge").put("password", BASIC_PASSWORD));
    TestServer.start(vertx, dir, config).compose(server -> {
      List<Future<Integer>> calls = new ArrayList<>();
      for (String sample : List.of("eb-voice-01-customer-start.json", "eb-voice-04-acd-start.json")) {
        calls.add(post(server, sample, "x-api-key", API_KEY));
        calls.add(post(server, sample, "Authorization", BASIC));
        calls.add(post(server, sample, "x-api-key", API_KEY + "-wrong"));
        calls.add(post(server, sample, "Authorization", BASIC + "x"));
      }
      calls.add(server.client().post(server.port(), "127.0.0.1", "/events").putHeader("content-type", "application/json")
          .putHeader("x-api-key", API_KEY).sendBuffer(io.vertx.core.buffer.Buffer.buffer("{\"not\": json")).map(r -> r.statusCode()));
      calls.add(server.client().get(server.port(), "127.0.0.1", "/dlq").putHeader("x-admin-key", ADMIN_KEY).send()
          .map(r -> r.statusCode()));
      calls.add(server.client().get(server.port(), "127.0.0.1", "/dlq").putHeader("x-admin-key", ADMIN_KEY + "x")
          .send().map(r -> r.statusCode()));
      return Future.all(calls).map(all -> all.<Integer>list());
    }).onComplete(ctx.succeeding(statuses -> ctx.verify(() -> {
      assertEquals(List.of(202, 202, 401, 401, 202, 202, 401, 401, 400, 200, 401), statuses);
      assertTrue(captured.list.size() > 10, "logging was captured: " + captured.list.size() + " lines");
      for (ILoggingEvent event : captured.list) {
        String line = event.getFormattedMessage() + " " + event.getMDCPropertyMap()
            + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
        for (String secret : List.of(API_KEY, BASIC_PASSWORD, ADMIN_KEY, BASIC.substring("Basic ".length()))) {
          assertFalse(line.contains(secret), event.getLoggerName() + " logged a secret: " + line);
        }
      }
      ctx.completeNow();
    })));
  }

  private static Future<Integer> post(TestServer server, String sample, String header, String value) {
    return server.client().post(server.port(), "127.0.0.1", "/events").putHeader("content-type", "application/json")
        .putHeader(header, value).sendBuffer(Samples.bytes(sample)).map(r -> r.statusCode());
  }
}
