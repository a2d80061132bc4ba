package io.switchboard.dispatch;

import io.switchboard.config.TargetConfig;
import io.switchboard.message.ProcessedEvent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The routes of the enabled targets, built once from the config: for a processed event, the address of each
 * target's owning dispatcher instance. Immutable; safe to share between verticles.
 */
public final class TargetRoutes {

  private final Map<String, DispatchRoute> byTarget;

  public TargetRoutes(List<DispatchRoute> routes) {
    Map<String, DispatchRoute> map = new LinkedHashMap<>();
    routes.forEach(route -> map.put(route.targetId(), route));
    this.byTarget = Collections.unmodifiableMap(map);
  }

  /** The routes of {@code targets}, each ordered by its type's ordering key. */
  public static TargetRoutes of(String node, List<TargetConfig> targets, TargetTypes types) {
    return new TargetRoutes(targets.stream()
        .map(t -> new DispatchRoute(node, t.id(), t.instances(), types.of(t).orderingKey(t)))
        .toList());
  }

  /** The routes in target order (the order of the config's enabled targets). */
  public List<DispatchRoute> inOrder() {
    return List.copyOf(byTarget.values());
  }

  public boolean isEmpty() {
    return byTarget.isEmpty();
  }

  public Set<String> targetIds() {
    return byTarget.keySet();
  }

  /** One address per target: the instance of each that owns {@code event}. */
  public List<String> addresses(ProcessedEvent event) {
    List<String> addresses = new ArrayList<>(byTarget.size());
    for (DispatchRoute route : byTarget.values()) {
      addresses.add(route.address(event));
    }
    return addresses;
  }

  /** The address of {@code targetId}'s instance that owns {@code event}. */
  public String address(String targetId, ProcessedEvent event) {
    DispatchRoute route = byTarget.get(Objects.requireNonNull(targetId, "targetId"));
    if (route == null) {
      throw new IllegalArgumentException("no enabled target " + targetId);
    }
    return route.address(event);
  }
}
