package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest over TLS end to end, with a self-signed certificate the test makes with the JDK's keytool: an HTTPS
 * client that trusts it gets 202, and a plain-HTTP request to the same port gets no answer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TlsIngestTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  /** A key pair and self-signed certificate for localhost and 127.0.0.1, as PEM files: {cert, key}. */
  private Path[] selfSigned() throws Exception {
    Path p12 = dir.resolve("tls.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "switchboard", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertEquals(0, keytool.waitFor(), "keytool made the certificate");
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) store.getKey("switchboard", "changeit".toCharArray());
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes());
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n"
        + pem.encodeToString(store.getCertificate("switchboard").getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Path keyFile = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + pem.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return new Path[] {cert, keyFile};
  }

  @Test
  void verifiesThatIngestServesHttpsWithTheConfiguredCertificate(VertxTestContext ctx) throws Exception {
    Path[] pem = selfSigned();
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("http").put("tls", new JsonObject().put("certPath", pem[0].toString())
        .put("keyPath", pem[1].toString()));
    WebClient https = WebClient.create(vertx, new WebClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(pem[0].toString())));
    WebClient plain = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2_000).setIdleTimeout(2));
    TestServer.start(vertx, dir, config).compose(server -> https.post(server.port(), "127.0.0.1", "/events")
            .putHeader("content-type", "application/json").sendBuffer(Samples.bytes("eb-voice-01-customer-start.json"))
            .compose(secured -> plain.post(server.port(), "127.0.0.1", "/events")
                .putHeader("content-type", "application/json").timeout(3_000)
                .sendBuffer(Samples.bytes("eb-voice-01-customer-start.json"))
                .transform(ar -> io.vertx.core.Future.succeededFuture(
                    new int[] {secured.statusCode(), ar.succeeded() ? ar.result().statusCode() : -1}))))
        .onComplete(ctx.succeeding(statuses -> ctx.verify(() -> {
          assertEquals(202, statuses[0], "HTTPS with the server's certificate trusted");
          assertTrue(statuses[1] == -1 || statuses[1] == 400, "plain HTTP gets no ingest answer: " + statuses[1]);
          ctx.completeNow();
        })));
  }
}
