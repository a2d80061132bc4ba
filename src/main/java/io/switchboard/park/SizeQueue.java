package io.switchboard.park;

/** A FIFO of record sizes in a growable ring of ints: one slot per record, no object per record. */
final class SizeQueue {

  private int[] sizes = new int[256];
  private int head;
  private int size;

  void add(long bytes) {
    if (size == sizes.length) {
      int[] bigger = new int[sizes.length * 2];
      for (int i = 0; i < size; i++) {
        bigger[i] = sizes[(head + i) & (sizes.length - 1)];
      }
      sizes = bigger;
      head = 0;
    }
    // A record never exceeds a segment, and a segment is at most 1 GiB: it fits an int.
    sizes[(head + size) & (sizes.length - 1)] = (int) bytes;
    size++;
  }

  int poll() {
    if (size == 0) {
      throw new IllegalStateException("no size queued");
    }
    int bytes = sizes[head];
    head = (head + 1) & (sizes.length - 1);
    size--;
    return bytes;
  }

  int size() {
    return size;
  }
}
