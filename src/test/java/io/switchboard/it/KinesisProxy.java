package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * An HTTP proxy in front of kinesalite that turns chosen PutRecords entries, or whole requests, into the failures
 * real Kinesis produces: entries answered {@code ProvisionedThroughputExceededException} or {@code InternalFailure}
 * are <em>not</em> forwarded (so, as at AWS, they are not written), the others are, and the two answers are
 * spliced back together in request order. Every entry is logged with what became of it. Other operations pass
 * through untouched. Needs the client to speak JSON over HTTP/1.1 (a target with {@code cbor: false, http1: true}).
 */
public final class KinesisProxy {

  public static final String THROUGHPUT = "ProvisionedThroughputExceededException";
  public static final String INTERNAL = "InternalFailure";
  private static final String AMZ_JSON = "application/x-amz-json-1.1";

  /** Decides which requests and entries fail. Called on the proxy's event loop, one request at a time. */
  public interface Plan {
    /** A whole-request error to answer instead of forwarding request number {@code n} (1-based), or null. */
    default RequestError request(int n, int records) {
      return null;
    }

    /** The error code to fail this entry with, or null to forward it. */
    default String entry(String partitionKey, Buffer data) {
      return null;
    }
  }

  /** A whole-request error answer: HTTP status and AWS error type. */
  public record RequestError(int status, String type, String message) {
  }

  /** One PutRecords entry as the proxy saw it; {@code error} is null when it was written. */
  public record Entry(int request, int index, String partitionKey, Buffer data, String error) {
    public boolean written() {
      return error == null;
    }
  }

  private final Plan plan;
  private final HttpClient client;
  private final URI target;
  private final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
  private final List<Integer> requestSizes = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;
  private String stream = "unknown";

  private KinesisProxy(Vertx vertx, URI target, Plan plan) {
    this.plan = plan;
    this.target = target;
    this.client = vertx.createHttpClient();
  }

  public static Future<KinesisProxy> start(Vertx vertx, URI kinesalite, Plan plan) {
    KinesisProxy proxy = new KinesisProxy(vertx, kinesalite, plan);
    return vertx.createHttpServer().requestHandler(proxy::handle).listen(0, "127.0.0.1").map(s -> {
      proxy.server = s;
      return proxy;
    });
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** Every PutRecords entry seen, in arrival order. */
  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** Records per PutRecords request, in arrival order. */
  public List<Integer> requestSizes() {
    synchronized (requestSizes) {
      return List.copyOf(requestSizes);
    }
  }

  private void handle(HttpServerRequest req) {
    String operation = req.getHeader("X-Amz-Target");
    req.body().onSuccess(body -> {
      if (operation != null && operation.endsWith(".PutRecords")) {
        putRecords(req, body);
      } else {
        forward(req, body).onComplete(ar -> reply(req, ar.succeeded() ? ar.result() : null));
      }
    });
  }

  private void putRecords(HttpServerRequest req, Buffer body) {
    JsonObject request = body.toJsonObject();
    stream = request.getString("StreamName", stream);
    JsonArray records = request.getJsonArray("Records");
    int n = requestSizes.size() + 1;
    requestSizes.add(records.size());
    RequestError whole = plan.request(n, records.size());
    if (whole != null) {
      for (int i = 0; i < records.size(); i++) {
        entries.add(entry(n, i, records.getJsonObject(i), "request:" + whole.type()));
      }
      req.response().setStatusCode(whole.status()).putHeader("Content-Type", AMZ_JSON)
          .end(new JsonObject().put("__type", whole.type()).put("message", whole.message()).encode());
      return;
    }
    String[] errors = new String[records.size()];
    JsonArray forwarded = new JsonArray();
    for (int i = 0; i < records.size(); i++) {
      JsonObject record = records.getJsonObject(i);
      errors[i] = plan.entry(record.getString("PartitionKey"), data(record));
      if (errors[i] == null) {
        forwarded.add(record);
      }
    }
    Future<Result> written = forwarded.isEmpty()
        ? Future.succeededFuture(new Result(200, MultiMap.caseInsensitiveMultiMap(),
        new JsonObject().put("FailedRecordCount", 0).put("Records", new JsonArray()).toBuffer()))
        : forward(req, request.copy().put("Records", forwarded).toBuffer());
    written.onComplete(ar -> {
      if (ar.failed() || ar.result().status() != 200) {
        for (int i = 0; i < records.size(); i++) {
          entries.add(entry(n, i, records.getJsonObject(i), "proxy:" + (ar.failed() ? ar.cause() : ar.result().status())));
        }
        reply(req, ar.succeeded() ? ar.result() : null);
        return;
      }
      JsonArray answered = ar.result().body().toJsonObject().getJsonArray("Records");
      JsonArray merged = new JsonArray();
      int failed = 0;
      for (int i = 0, next = 0; i < records.size(); i++) {
        if (errors[i] == null) {
          merged.add(answered.getJsonObject(next++));
        } else {
          failed++;
          merged.add(new JsonObject().put("ErrorCode", errors[i]).put("ErrorMessage", message(errors[i])));
        }
        entries.add(entry(n, i, records.getJsonObject(i), errors[i]));
      }
      req.response().setStatusCode(200).putHeader("Content-Type", AMZ_JSON)
          .end(new JsonObject().put("FailedRecordCount", failed).put("Records", merged).encode());
    });
  }

  private String message(String error) {
    return THROUGHPUT.equals(error)
        ? "Rate exceeded for shard shardId-000000000000 in stream " + stream + " under account 000000000000."
        : "Internal service failure.";
  }

  private static Entry entry(int request, int index, JsonObject record, String error) {
    return new Entry(request, index, record.getString("PartitionKey"), data(record), error);
  }

  private static Buffer data(JsonObject record) {
    return Buffer.buffer(Base64.getDecoder().decode(record.getString("Data")));
  }

  private record Result(int status, MultiMap headers, Buffer body) {
  }

  private Future<Result> forward(HttpServerRequest req, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.getHost())
        .setPort(target.getPort()).setURI(req.uri());
    req.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("content-length")) {
        options.addHeader(name, value);
      }
    });
    return client.request(options)
        .compose(out -> out.send(body))
        .compose((HttpClientResponse res) -> res.body().map(b -> new Result(res.statusCode(), res.headers(), b)));
  }

  private static void reply(HttpServerRequest req, Result result) {
    if (result == null) {
      req.response().setStatusCode(502).end();
      return;
    }
    req.response().setStatusCode(result.status());
    result.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
          && !name.equalsIgnoreCase("connection")) {
        req.response().putHeader(name, value);
      }
    });
    req.response().end(result.body());
  }
}
