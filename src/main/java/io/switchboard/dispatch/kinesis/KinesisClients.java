package io.switchboard.dispatch.kinesis;

import io.switchboard.dispatch.kinesis.KinesisTargetOptions.StaticCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedAsyncClientOption;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the SDK's async Kinesis client for a target: Netty NIO (non-blocking, so completions can hop straight
 * back onto the dispatcher's event loop), no SDK retries, a deadline per call.
 */
final class KinesisClients {

  /**
   * Below Node.js's 5 s keep-alive (kinesalite and most emulators are Node), so the pool drops an idle connection
   * before the server does instead of writing into a closed one.
   */
  private static final Duration EMULATOR_MAX_IDLE = Duration.ofSeconds(4);
  /**
   * The Netty I/O thread shared by every Kinesis client of the process, as AWS advises: it only moves bytes
   * (completions hop to the event loop at once), so one carries what a node makes (with one, the channel still
   * wrote 12.7k records/s to kinesalite here, against 13.9–14.4k with two: kinesalite's own limit). One, not two: with two shared threads the SDK's pool sometimes lost a
   * refused connect (about 1 in 12 on this box), and the call ran into its timeout instead of failing at once
   * ({@code KinesisDeliveryChannelTest}). A daemon thread, never shut down: closing a client that owned its group
   * would wait about two seconds for Netty's quiet period on every undeploy.
   */
  private static final int IO_THREADS = 1;
  /** Completions run on the SDK's I/O thread: they only call {@code runOnContext}, which never blocks. */
  private static final Executor DIRECT = Runnable::run;
  private static final Object SYSTEM_PROPERTIES = new Object();

  private KinesisClients() {
  }

  /** A client and the credentials provider it uses, which the client does not close. */
  record Client(KinesisAsyncClient kinesis, AwsCredentialsProvider credentials) implements AutoCloseable {

    /**
     * Resolves credentials once. Blocking (profile files, container or instance metadata): call it off the event
     * loop. It matters because the SDK resolves credentials on the thread that calls {@code putRecords}, the event
     * loop: with the cache warm and refreshes in the background, that thread never waits for them.
     *
     * @return why no credentials could be found, or {@code null} when they were
     */
    String warmUp() {
      try {
        credentials.resolveCredentials();
        return null;
      } catch (SdkException e) {
        return e.getMessage();
      }
    }

    @Override
    public void close() {
      kinesis.close();
      if (credentials instanceof SdkAutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** Builds the client; contacts nobody. */
  static Client create(KinesisTargetOptions options) {
    AwsCredentialsProvider credentials = credentials(options.staticCredentials());
    return new Client(build(options, credentials), credentials);
  }

  private static KinesisAsyncClient build(KinesisTargetOptions options, AwsCredentialsProvider credentials) {
    NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
        .eventLoopGroup(SharedIo.GROUP)
        .connectionTimeout(Duration.ofMillis(Math.min(options.timeoutMs(), 5_000)))
        .maxConcurrency(Math.max(options.maxRequestsInFlight(), 2));
    if (options.http1()) {
      http.protocol(Protocol.HTTP1_1).connectionMaxIdleTime(EMULATOR_MAX_IDLE);
    }
    KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder()
        .httpClientBuilder(http)
        .region(Region.of(options.region()))
        .credentialsProvider(credentials)
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            // The dispatcher's retry policy decides, per record, with the target's backoff and age limit, and counts
            // every attempt; an SDK retry inside one call would also hold a whole batch for one record's sake.
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallTimeout(Duration.ofMillis(options.timeoutMs()))
            .build())
        .asyncConfiguration(c -> c.advancedOption(SdkAdvancedAsyncClientOption.FUTURE_COMPLETION_EXECUTOR, DIRECT));
    if (options.endpoint() != null) {
      builder.endpointOverride(options.endpoint());
    }
    return options.cbor() ? builder.build() : buildWithoutCbor(builder);
  }

  /** Created on first use (holder idiom): a process without kinesis targets starts no such threads. */
  private static final class SharedIo {
    static final SdkEventLoopGroup GROUP = SdkEventLoopGroup.builder().numberOfThreads(IO_THREADS)
        .threadFactory(new ThreadFactory() {
          private final AtomicInteger n = new AtomicInteger();

          @Override
          public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "switchboard-kinesis-io-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          }
        }).build();
  }

  /**
   * The SDK reads {@code aws.cborEnabled} once, while building a client, and has no per-client switch. Setting it
   * only around this build keeps other AWS clients in the process on their defaults; the lock keeps two dispatcher
   * instances starting at once from seeing each other's value.
   */
  private static KinesisAsyncClient buildWithoutCbor(KinesisAsyncClientBuilder builder) {
    String property = SdkSystemSetting.CBOR_ENABLED.property();
    synchronized (SYSTEM_PROPERTIES) {
      String before = System.getProperty(property);
      System.setProperty(property, "false");
      try {
        return builder.build();
      } finally {
        if (before == null) {
          System.clearProperty(property);
        } else {
          System.setProperty(property, before);
        }
      }
    }
  }

  private static AwsCredentialsProvider credentials(StaticCredentials fixed) {
    if (fixed == null) {
      // Refreshes (role credentials expire) happen on the provider's own thread, never on a caller's.
      return DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build();
    }
    AwsCredentials credentials = fixed.sessionToken() == null
        ? AwsBasicCredentials.create(fixed.accessKeyId(), fixed.secretAccessKey())
        : AwsSessionCredentials.create(fixed.accessKeyId(), fixed.secretAccessKey(), fixed.sessionToken());
    return StaticCredentialsProvider.create(credentials);
  }
}
