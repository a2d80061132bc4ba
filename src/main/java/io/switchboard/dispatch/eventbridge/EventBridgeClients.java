package io.switchboard.dispatch.eventbridge;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Builds the SDK's async EventBridge client for one channel. Building may block (the default region and
 * credentials chains read files and may ask the instance metadata service), so it runs on a worker thread.
 *
 * <p>Choices that differ from the SDK defaults, and why:
 * <ul>
 *   <li>No SDK retries: the target's retry policy decides, per entry, with its own backoff, age limit and dead
 *       letters; SDK retries underneath would multiply attempts and hide the time they take.</li>
 *   <li>Completions run on the SDK's I/O thread ({@code Runnable::run}) instead of a completion pool, because the
 *       channel's only work there is handing the result to the dispatcher's context.</li>
 *   <li>One I/O thread per client rather than two per core: a channel has at most the dispatcher's
 *       {@code maxInFlight} batches outstanding, and a target may run many instances, each with its own client.</li>
 *   <li>The default credentials chain refreshes expiring credentials in the background, so a refresh never makes a
 *       call wait on the dispatcher's event loop.</li>
 * </ul>
 */
final class EventBridgeClients {

  /** How long closing waits for the I/O thread to end; the client has closed its connections by then. */
  private static final long SHUTDOWN_SECONDS = 5;

  /**
   * A client and what it was given (a client does not close what it did not create): the credentials provider and
   * the I/O thread, owned here so that closing skips the SDK's two-second quiet period for a group it created.
   */
  record Built(EventBridgeAsyncClient client, AwsCredentialsProvider credentials, SdkEventLoopGroup io)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        client.close();
      } finally {
        io.eventLoopGroup().shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS)
            .awaitUninterruptibly(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
        if (credentials instanceof SdkAutoCloseable closeable) {
          closeable.close();
        }
      }
    }
  }

  private EventBridgeClients() {
  }

  /**
   * Builds the client and resolves credentials once, so that a target without usable credentials fails the start
   * with the SDK's explanation instead of failing every delivery.
   *
   * @param env environment lookup for {@code staticCredentialsFromEnv}
   */
  static Built create(EventBridgeTargetOptions options, Function<String, String> env) {
    AwsCredentialsProvider credentials = credentials(options, env);
    SdkEventLoopGroup io = null;
    try {
      credentials.resolveCredentials();
      io = SdkEventLoopGroup.builder().numberOfThreads(1).build();
      NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
          .eventLoopGroup(io)
          .connectionTimeout(Duration.ofMillis(Math.min(options.timeoutMs(), 10_000)));
      if (options.http1()) {
        http.protocol(Protocol.HTTP1_1);
      }
      EventBridgeAsyncClientBuilder builder = EventBridgeAsyncClient.builder()
          .credentialsProvider(credentials)
          .httpClientBuilder(http)
          .asyncConfiguration(a -> a.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR,
              Runnable::run))
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
              .apiCallTimeout(Duration.ofMillis(options.timeoutMs())));
      if (options.region() != null) {
        builder.region(Region.of(options.region()));
      }
      if (options.endpoint() != null) {
        builder.endpointOverride(options.endpoint());
      }
      return new Built(builder.build(), credentials, io);
    } catch (RuntimeException e) {
      if (io != null) {
        io.eventLoopGroup().shutdownGracefully(0, SHUTDOWN_SECONDS, TimeUnit.SECONDS);
      }
      if (credentials instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
      throw e;
    }
  }

  private static AwsCredentialsProvider credentials(EventBridgeTargetOptions options, Function<String, String> env) {
    EventBridgeTargetOptions.EnvCredentials names = options.staticCredentials();
    if (names == null) {
      return DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build();
    }
    String keyId = required(env, names.accessKeyId());
    String secret = required(env, names.secretAccessKey());
    AwsCredentials credentials = names.sessionToken() == null ? AwsBasicCredentials.create(keyId, secret)
        : AwsSessionCredentials.create(keyId, secret, required(env, names.sessionToken()));
    return StaticCredentialsProvider.create(credentials);
  }

  private static String required(Function<String, String> env, String variable) {
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      // The name only: the value is a secret, and an empty one has nothing to show anyway.
      throw new IllegalStateException("environment variable " + variable + " is not set or empty");
    }
    return value;
  }
}
