package io.switchboard.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events one source has admitted that a node accepted and that have not settled yet, with that node: if it
 * crashes, they are what the source sends again, in order, to the shards' new owners (the crashed node's reorder
 * buffers, state and dispatch queues are gone with it). Bounded by the source's in-flight bound; an entry goes as
 * soon as its event settles. Single-threaded: the source's event loop.
 *
 * @param <T> the event
 */
public final class AcceptedElsewhere<T> {

  private record Accepted<T>(T event, String node) {
  }

  private final TreeMap<Long, Accepted<T>> bySeq = new TreeMap<>();

  public void accepted(long seq, T event, String node) {
    bySeq.put(seq, new Accepted<>(event, node));
  }

  public void settled(long seq) {
    bySeq.remove(seq);
  }

  /** Removes and returns, in sequence order, the events accepted by any of {@code gone}. */
  public List<Map.Entry<Long, T>> takeAcceptedBy(Collection<String> gone) {
    List<Map.Entry<Long, T>> taken = new ArrayList<>();
    var it = bySeq.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      if (gone.contains(entry.getValue().node())) {
        taken.add(Map.entry(entry.getKey(), entry.getValue().event()));
        it.remove();
      }
    }
    return taken;
  }

  public int size() {
    return bySeq.size();
  }
}
