package io.switchboard.dedup;

/**
 * A fixed-capacity set of non-zero longs in one {@code long[]}: open addressing, linear probing, and
 * backward-shift deletion, so removals leave no tombstones and probe chains never degrade under churn.
 *
 * <p>The capacity need not be a power of two: a key's home slot is {@code (key >>> 32) * capacity >>> 32}
 * (Lemire's multiply-shift range reduction), which lets the owner size the table exactly for its load
 * factor instead of rounding up to the next power of two and wasting up to half of it. That relies on the
 * keys' high bits being uniform, which {@link DedupKeys} guarantees. The owner must keep at least one slot
 * empty; this class does not grow.
 */
final class LongOpenHashSet {

  private final long[] slots;
  private int size;

  LongOpenHashSet(int capacity) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity must be at least 2: " + capacity);
    }
    this.slots = new long[capacity];
  }

  /**
   * Adds every key of {@code other}, sweeping it in slot order. Homes scale with capacity (a key's home in a
   * larger table is about its old home times the growth factor), so this fills the new table nearly
   * sequentially: far fewer cache misses than re-adding keys in arbitrary order.
   */
  void addAll(LongOpenHashSet other) {
    for (long key : other.slots) {
      if (key != 0) {
        add(key);
      }
    }
  }

  int size() {
    return size;
  }

  int capacity() {
    return slots.length;
  }

  boolean contains(long key) {
    int i = home(key);
    for (long slot; (slot = slots[i]) != 0; i = next(i)) {
      if (slot == key) {
        return true;
      }
    }
    return false;
  }

  /** Adds {@code key} (non-zero); {@code false} if it was already present. */
  boolean add(long key) {
    int i = home(key);
    for (long slot; (slot = slots[i]) != 0; i = next(i)) {
      if (slot == key) {
        return false;
      }
    }
    slots[i] = key;
    size++;
    return true;
  }

  /** Removes {@code key}; {@code false} if it was absent. */
  boolean remove(long key) {
    int hole = home(key);
    for (long slot; (slot = slots[hole]) != key; hole = next(hole)) {
      if (slot == 0) {
        return false;
      }
    }
    // Pull later members of the same probe run back into the hole, so every key stays reachable from its
    // home without a gap. A member may move only if its home does not lie cyclically within (hole, j].
    for (int j = next(hole); ; j = next(j)) {
      long slot = slots[j];
      if (slot == 0) {
        break;
      }
      int h = home(slot);
      boolean homeAfterHole = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (!homeAfterHole) {
        slots[hole] = slot;
        hole = j;
      }
    }
    slots[hole] = 0;
    size--;
    return true;
  }

  /** Test support: {@code true} if every key is reachable from its home slot through occupied slots only. */
  boolean isConsistent() {
    int counted = 0;
    for (int i = 0; i < slots.length; i++) {
      long key = slots[i];
      if (key == 0) {
        continue;
      }
      counted++;
      for (int j = home(key); j != i; j = next(j)) {
        if (slots[j] == 0) {
          return false;
        }
      }
    }
    return counted == size;
  }

  private int home(long key) {
    return (int) (((key >>> 32) * slots.length) >>> 32);
  }

  private int next(int i) {
    return i + 1 == slots.length ? 0 : i + 1;
  }
}
