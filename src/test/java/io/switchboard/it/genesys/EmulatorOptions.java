package io.switchboard.it.genesys;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link GenesysEmulator} behaves. The defaults are Genesys Cloud's as the facts file states them (token
 * lifetime 86399 s, channel lifetime 24 h, 20 channels per OAuth client, 1,000 topics per channel, 300 requests per
 * 60 s per token) or, where the facts are silent or unverified, a stated choice (heartbeat 30 s is a community
 * observation; the socket_closing lead time of 60 s follows the "~1 minute" announcement). Tests compress the
 * times to milliseconds or seconds through {@link #builder()}.
 *
 * @param port                    TCP port on 127.0.0.1; 0 picks a free one
 * @param clients                 OAuth client id → secret accepted by {@code POST /oauth/token}
 * @param tokenLifetime           access-token lifetime, whole seconds of at least 1 ({@code expires_in})
 * @param channelLifetime         a notification channel lives this long after creation or its last (re)subscribe
 * @param heartbeatInterval       period of the {@code channel.metadata} "WebSocket Heartbeat" on each socket
 * @param socketClosingDelay      time between {@code v2.system.socket_closing} and the server closing the socket
 * @param rateLimit               requests allowed per token per {@code rateWindow}
 * @param rateWindow              the fixed window the rate budget is counted in
 * @param maxChannelsPerClient    channels per OAuth client; creating one more evicts one
 * @param maxTopicsPerChannel     topics per channel; a request that would exceed it gets 400
 * @param rejectedTopics          topic prefix → missing permissions: subscriptions to matching topics are Rejected
 * @param strictPermissions       when true, a Rejected topic fails the whole subscription request with 400 unless
 *                                {@code ?ignoreErrors=true} is given (the SDK documents ignoreErrors as "prevent
 *                                throwing of errors for failed permissions checks"); when false it is always 200
 * @param jobQueuedFor            an analytics job stays QUEUED this long
 * @param jobPendingFor           then PENDING this long, then FULFILLED
 * @param jobExpiry               a fulfilled job's results expire this long after completion (sample: 24 h)
 * @param organizationId          the org id in system messages
 * @param maxRecorded             bound on the request log and the socket log (oldest entries are dropped)
 */
public record EmulatorOptions(int port, Map<String, String> clients, Duration tokenLifetime, Duration channelLifetime,
    Duration heartbeatInterval, Duration socketClosingDelay, int rateLimit, Duration rateWindow,
    int maxChannelsPerClient, int maxTopicsPerChannel, Map<String, List<String>> rejectedTopics,
    boolean strictPermissions, Duration jobQueuedFor, Duration jobPendingFor, Duration jobExpiry,
    String organizationId, int maxRecorded) {

  public static final String DEFAULT_CLIENT_ID = "5b8a6c2e-0f43-4d7e-9a61-3c2d1e0f9b8a";
  public static final String DEFAULT_CLIENT_SECRET = "emulator-secret-do-not-use-in-production";
  /** The fake org of the shared samples. */
  public static final String DEFAULT_ORGANIZATION_ID = "f523d6f3-f25c-45e8-b06e-32f164fd24e5";

  public EmulatorOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, not " + port);
    }
    clients = Map.copyOf(clients);
    if (clients.isEmpty()) {
      throw new IllegalArgumentException("at least one OAuth client is needed");
    }
    if (tokenLifetime.toMillis() < 1000 || tokenLifetime.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("tokenLifetime must be whole seconds, at least 1 (expires_in is seconds)");
    }
    positive(channelLifetime, "channelLifetime");
    positive(heartbeatInterval, "heartbeatInterval");
    notNegative(socketClosingDelay, "socketClosingDelay");
    positive(rateWindow, "rateWindow");
    if (rateLimit < 1 || maxChannelsPerClient < 1 || maxTopicsPerChannel < 1 || maxRecorded < 1) {
      throw new IllegalArgumentException("rateLimit, maxChannelsPerClient, maxTopicsPerChannel and maxRecorded must be >= 1");
    }
    rejectedTopics = Map.copyOf(rejectedTopics);
    notNegative(jobQueuedFor, "jobQueuedFor");
    notNegative(jobPendingFor, "jobPendingFor");
    positive(jobExpiry, "jobExpiry");
    Objects.requireNonNull(organizationId, "organizationId");
  }

  private static void positive(Duration d, String name) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private static void notNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
  }

  public static EmulatorOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Mutable only until {@link #build()}; the record validates. */
  public static final class Builder {
    private int port;
    private final Map<String, String> clients = new LinkedHashMap<>(Map.of(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET));
    private Duration tokenLifetime = Duration.ofSeconds(86_399);
    private Duration channelLifetime = Duration.ofHours(24);
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration socketClosingDelay = Duration.ofSeconds(60);
    private int rateLimit = 300;
    private Duration rateWindow = Duration.ofSeconds(60);
    private int maxChannelsPerClient = 20;
    private int maxTopicsPerChannel = 1000;
    private final Map<String, List<String>> rejectedTopics = new LinkedHashMap<>();
    private boolean strictPermissions = true;
    private Duration jobQueuedFor = Duration.ofSeconds(2);
    private Duration jobPendingFor = Duration.ZERO;
    private Duration jobExpiry = Duration.ofHours(24);
    private String organizationId = DEFAULT_ORGANIZATION_ID;
    private int maxRecorded = 100_000;

    private Builder() {
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Adds (or replaces the secret of) an OAuth client; the default client stays. */
    public Builder client(String clientId, String secret) {
      clients.put(Objects.requireNonNull(clientId), Objects.requireNonNull(secret));
      return this;
    }

    public Builder tokenLifetime(Duration lifetime) {
      this.tokenLifetime = lifetime;
      return this;
    }

    public Builder channelLifetime(Duration lifetime) {
      this.channelLifetime = lifetime;
      return this;
    }

    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    public Builder socketClosingDelay(Duration delay) {
      this.socketClosingDelay = delay;
      return this;
    }

    public Builder rateLimit(int requests, Duration window) {
      this.rateLimit = requests;
      this.rateWindow = window;
      return this;
    }

    public Builder maxChannelsPerClient(int max) {
      this.maxChannelsPerClient = max;
      return this;
    }

    public Builder maxTopicsPerChannel(int max) {
      this.maxTopicsPerChannel = max;
      return this;
    }

    /** Subscriptions to topics starting with {@code topicPrefix} are Rejected for lack of these permissions. */
    public Builder rejectTopics(String topicPrefix, String... missingPermissions) {
      rejectedTopics.put(Objects.requireNonNull(topicPrefix), List.of(missingPermissions));
      return this;
    }

    public Builder strictPermissions(boolean strict) {
      this.strictPermissions = strict;
      return this;
    }

    public Builder jobTiming(Duration queuedFor, Duration pendingFor) {
      this.jobQueuedFor = queuedFor;
      this.jobPendingFor = pendingFor;
      return this;
    }

    public Builder jobExpiry(Duration expiry) {
      this.jobExpiry = expiry;
      return this;
    }

    public Builder organizationId(String organizationId) {
      this.organizationId = organizationId;
      return this;
    }

    public Builder maxRecorded(int max) {
      this.maxRecorded = max;
      return this;
    }

    public EmulatorOptions build() {
      return new EmulatorOptions(port, clients, tokenLifetime, channelLifetime, heartbeatInterval, socketClosingDelay,
          rateLimit, rateWindow, maxChannelsPerClient, maxTopicsPerChannel, rejectedTopics, strictPermissions,
          jobQueuedFor, jobPendingFor, jobExpiry, organizationId, maxRecorded);
    }
  }
}
