package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Creates streams on kinesalite and reads them back, shard by shard, with the SDK's async client (its futures
 * turned into Vert.x ones, so tests stay non-blocking).
 */
public final class KinesisStreams implements AutoCloseable {

  /** kinesalite accepts any credentials, but a request must be signed with some. */
  public static final String ACCESS_KEY = "switchboard-test";
  public static final String SECRET_KEY = "switchboard-test-secret";

  /** One I/O thread for every test client, daemon and never closed: closing a client's own group takes ~2 s. */
  private static final SdkEventLoopGroup IO = SdkEventLoopGroup.builder().numberOfThreads(1).threadFactory(task -> {
    Thread thread = new Thread(task, "kinesis-streams-io");
    thread.setDaemon(true);
    return thread;
  }).build();

  private final Vertx vertx;
  private final KinesisAsyncClient client;

  public KinesisStreams(Vertx vertx, URI endpoint) {
    this.vertx = vertx;
    String cbor = SdkSystemSetting.CBOR_ENABLED.property();
    // kinesalite speaks HTTP/1.1 and mis-reads the SDK's CBOR: the same two settings as a target with http1/cbor off.
    synchronized (KinesisStreams.class) {
      String before = System.getProperty(cbor);
      System.setProperty(cbor, "false");
      try {
        client = KinesisAsyncClient.builder()
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)
                .eventLoopGroup(IO))
            .region(Region.US_EAST_1)
            .endpointOverride(endpoint)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .build();
      } finally {
        if (before == null) {
          System.clearProperty(cbor);
        } else {
          System.setProperty(cbor, before);
        }
      }
    }
  }

  /** A record as read back: its shard, position and partition key, and the data as bytes. */
  public record Stored(String shardId, String sequenceNumber, String partitionKey, Buffer data) {
    public JsonObject json() {
      return data.toJsonObject();
    }
  }

  /** Creates a stream and waits until it is ACTIVE. */
  public Future<Void> create(String stream, int shards) {
    return on(() -> client.createStream(b -> b.streamName(stream).shardCount(shards)))
        .compose(v -> Eventually.poll(vertx, 10_000, () -> on(() -> client.describeStreamSummary(b -> b.streamName(stream)))
            .map(r -> r.streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE)));
  }

  /** Every record of every shard, each shard's records in sequence order, shards in id order. */
  public Future<List<Stored>> readAll(String stream) {
    return on(() -> client.listShards(b -> b.streamName(stream))).compose(r -> {
      List<Shard> shards = r.shards();
      Future<List<Stored>> all = Future.succeededFuture(new ArrayList<>());
      for (Shard shard : shards) {
        all = all.compose(acc -> readShard(stream, shard.shardId()).map(records -> {
          acc.addAll(records);
          return acc;
        }));
      }
      return all;
    });
  }

  private Future<List<Stored>> readShard(String stream, String shardId) {
    return on(() -> client.getShardIterator(b -> b.streamName(stream).shardId(shardId)
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)))
        .compose(it -> drain(shardId, it.shardIterator(), new ArrayList<>()));
  }

  private Future<List<Stored>> drain(String shardId, String iterator, List<Stored> acc) {
    return on(() -> client.getRecords(b -> b.shardIterator(iterator).limit(10_000))).compose(r -> {
      for (Record record : r.records()) {
        acc.add(new Stored(shardId, record.sequenceNumber(), record.partitionKey(),
            Buffer.buffer(record.data().asByteArray())));
      }
      // An open shard always hands out a next iterator; an empty page means we have read everything written so far.
      return r.records().isEmpty() || r.nextShardIterator() == null ? Future.succeededFuture(acc)
          : drain(shardId, r.nextShardIterator(), acc);
    });
  }

  private <T> Future<T> on(Supplier<CompletionStage<T>> call) {
    return Future.fromCompletionStage(call.get(), vertx.getOrCreateContext());
  }

  @Override
  public void close() {
    client.close();
  }
}
