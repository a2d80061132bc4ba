package io.switchboard.dispatch.eventbridge;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries collecting for the next PutEvents request: at most {@link #MAX_ENTRIES}, and a total entry size within
 * the limit, because EventBridge applies its size limit to the sum of a request's entries and refuses the whole
 * request beyond it. Entries keep their arrival order. Not thread-safe: one channel, one event loop.
 *
 * @param <T> what is carried per entry
 */
final class PendingRequest<T> {

  /** PutEvents takes 1 to 10 entries. */
  static final int MAX_ENTRIES = 10;

  private final int maxBytes;
  private List<T> items = new ArrayList<>(MAX_ENTRIES);
  private long bytes;

  PendingRequest(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Whether an entry of {@code size} bytes can join; always when empty (the caller checks a lone entry). */
  boolean fits(int size) {
    return items.isEmpty() || (items.size() < MAX_ENTRIES && bytes + size <= maxBytes);
  }

  void add(T item, int size) {
    if (!fits(size)) {
      throw new IllegalStateException("entry of " + size + " bytes does not fit");
    }
    items.add(item);
    bytes += size;
  }

  /** No further entry can join, whatever its size. */
  boolean full() {
    return items.size() == MAX_ENTRIES || bytes >= maxBytes;
  }

  boolean isEmpty() {
    return items.isEmpty();
  }

  int size() {
    return items.size();
  }

  /** The entries, in order; the request starts over empty. */
  List<T> take() {
    List<T> taken = items;
    items = new ArrayList<>(MAX_ENTRIES);
    bytes = 0;
    return taken;
  }
}
