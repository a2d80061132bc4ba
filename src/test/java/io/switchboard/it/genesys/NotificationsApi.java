package io.switchboard.it.genesys;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Notifications REST API: create / list / HEAD channels and GET / PUT (replace) / POST (append) / DELETE (remove
 * all) a channel's subscriptions, with {@code [{"id": topic}]} bodies and
 * {@code {entities:[{id, state: Permitted|Rejected, rejectionReason, missingPermissions, selfUri}]}} answers.
 *
 * <p>A channel is visible only to the OAuth client that created it (another client gets 404). A PUT/POST answer lists
 * the channel's topics after the change (Permitted) followed by this request's Rejected topics; rejected topics are
 * not stored. Chosen where the facts are silent (<b>not verified</b>): create answers 200; DELETE answers 204; the
 * 1,000-topic and strict-permission refusals are 400 ErrorBodies with code {@code bad.request}; topic names are not
 * checked against Genesys' topic catalogue.
 */
final class NotificationsApi {

  private final ChannelRegistry channels;
  private final SocketHub hub;
  private final EmulatorOptions options;

  NotificationsApi(ChannelRegistry channels, SocketHub hub, EmulatorOptions options) {
    this.channels = Objects.requireNonNull(channels);
    this.hub = Objects.requireNonNull(hub);
    this.options = Objects.requireNonNull(options);
  }

  void create(RoutingContext ctx) {
    TokenStore.Token token = ctx.get(ApiGate.TOKEN);
    ChannelRegistry.Creation creation = channels.create(token.clientId(), token.value());
    creation.evicted().ifPresent(evicted -> hub.closeChannel(evicted, "evicted"));
    Replies.json(ctx, 200, creation.channel().toJson());
  }

  /** {@code ?includechannels=token} (default) lists this token's channels, {@code oauthclient} the client's. */
  void list(RoutingContext ctx) {
    TokenStore.Token token = ctx.get(ApiGate.TOKEN);
    boolean byClient = "oauthclient".equalsIgnoreCase(ctx.queryParams().get("includechannels"));
    JsonArray entities = new JsonArray();
    for (Channel channel : byClient ? channels.ofClient(token.clientId()) : channels.ofToken(token.value())) {
      if (channels.find(channel.id).isPresent()) {
        entities.add(channel.toJson());
      }
    }
    Replies.json(ctx, 200, new JsonObject().put("entities", entities));
  }

  void head(RoutingContext ctx) {
    Replies.empty(ctx, owned(ctx).isPresent() ? 200 : 404);
  }

  void subscriptions(RoutingContext ctx) {
    owned(ctx).ifPresentOrElse(channel -> {
      channels.touch(channel);
      Replies.json(ctx, 200, listing(channel, Map.of()));
    }, () -> notFound(ctx));
  }

  void replace(RoutingContext ctx) {
    subscribe(ctx, true);
  }

  void append(RoutingContext ctx) {
    subscribe(ctx, false);
  }

  void unsubscribeAll(RoutingContext ctx) {
    owned(ctx).ifPresentOrElse(channel -> {
      channels.unsubscribeAll(channel);
      Replies.empty(ctx, 204);
    }, () -> notFound(ctx));
  }

  private void subscribe(RoutingContext ctx, boolean replace) {
    Optional<Channel> found = owned(ctx);
    if (found.isEmpty()) {
      notFound(ctx);
      return;
    }
    List<String> topics = topics(ctx);
    if (topics == null) {
      Replies.error(ctx, 400, "bad.request", "The body must be a JSON array of {\"id\": \"<topic>\"} objects.");
      return;
    }
    Map<String, List<String>> rejected = new LinkedHashMap<>();
    List<String> permitted = new ArrayList<>();
    for (String topic : topics) {
      missingPermissions(topic).ifPresentOrElse(missing -> rejected.put(topic, missing), () -> permitted.add(topic));
    }
    boolean ignoreErrors = "true".equalsIgnoreCase(ctx.queryParams().get("ignoreErrors"));
    if (!rejected.isEmpty() && options.strictPermissions() && !ignoreErrors) {
      Replies.error(ctx, 400, "bad.request", "Missing permissions for topics " + rejected.keySet()
          + "; nothing was changed (retry with ignoreErrors=true to subscribe to the others).");
      return;
    }
    try {
      channels.subscribe(found.get(), permitted, replace);
    } catch (ChannelRegistry.TooManyTopics e) {
      Replies.error(ctx, 400, "bad.request", e.getMessage());
      return;
    }
    Replies.json(ctx, 200, listing(found.get(), rejected));
  }

  private JsonObject listing(Channel channel, Map<String, List<String>> rejected) {
    JsonArray entities = new JsonArray();
    for (String topic : channel.topics) {
      entities.add(new JsonObject().put("id", topic).put("state", "Permitted").put("selfUri", channel.subscriptionsUri()));
    }
    rejected.forEach((topic, missing) -> entities.add(new JsonObject().put("id", topic).put("state", "Rejected")
        .put("rejectionReason", "Missing permissions").put("missingPermissions", new JsonArray(missing))
        .put("selfUri", channel.subscriptionsUri())));
    return new JsonObject().put("entities", entities);
  }

  private Optional<List<String>> missingPermissions(String topic) {
    return options.rejectedTopics().entrySet().stream().filter(e -> topic.startsWith(e.getKey()))
        .map(Map.Entry::getValue).findFirst();
  }

  private Optional<Channel> owned(RoutingContext ctx) {
    TokenStore.Token token = ctx.get(ApiGate.TOKEN);
    return channels.owned(ctx.pathParam("channelId"), token.clientId());
  }

  private static void notFound(RoutingContext ctx) {
    Replies.error(ctx, 404, "not.found", "Channel " + ctx.pathParam("channelId") + " was not found.");
  }

  /** The topic ids of a {@code [{"id": ...}]} body, or null when the body is not that shape. */
  private static List<String> topics(RoutingContext ctx) {
    JsonArray array;
    try {
      array = ctx.body().asJsonArray();
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
    if (array == null) {
      return null;
    }
    List<String> topics = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof JsonObject o) || !(o.getValue("id") instanceof String id) || id.isBlank()) {
        return null;
      }
      topics.add(id);
    }
    return topics;
  }
}
