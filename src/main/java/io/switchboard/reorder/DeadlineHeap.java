package io.switchboard.reorder;

import java.util.Arrays;

/**
 * A binary min-heap of conversations keyed by {@link Conversation#due}, each knowing its own index, so that a
 * conversation's due time can move in O(log n) without searching and without allocating an entry per change
 * (a {@code java.util.PriorityQueue} would need O(n) removal or stale duplicates).
 */
final class DeadlineHeap {

  private Conversation[] heap = new Conversation[16];
  private int size;

  int size() {
    return size;
  }

  /** The conversation due first, or {@code null}. */
  Conversation peek() {
    return size == 0 ? null : heap[0];
  }

  /** Sets the conversation's due time; {@code Long.MAX_VALUE} takes it out of the heap. */
  void schedule(Conversation conversation, long due) {
    if (due == Long.MAX_VALUE) {
      remove(conversation);
      return;
    }
    long previous = conversation.due;
    conversation.due = due;
    if (conversation.heapIndex < 0) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      heap[size] = conversation;
      conversation.heapIndex = size;
      size++;
      up(conversation.heapIndex);
    } else if (due < previous) {
      up(conversation.heapIndex);
    } else if (due > previous) {
      down(conversation.heapIndex);
    }
  }

  void remove(Conversation conversation) {
    int i = conversation.heapIndex;
    conversation.due = Long.MAX_VALUE;
    if (i < 0) {
      return;
    }
    conversation.heapIndex = -1;
    size--;
    Conversation last = heap[size];
    heap[size] = null;
    if (i < size) {
      heap[i] = last;
      last.heapIndex = i;
      up(i);
      down(last.heapIndex);
    }
  }

  private void up(int i) {
    Conversation moving = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heap[parent].due <= moving.due) {
        break;
      }
      place(heap[parent], i);
      i = parent;
    }
    place(moving, i);
  }

  private void down(int i) {
    Conversation moving = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heap[child + 1].due < heap[child].due) {
        child++;
      }
      if (moving.due <= heap[child].due) {
        break;
      }
      place(heap[child], i);
      i = child;
    }
    place(moving, i);
  }

  private void place(Conversation conversation, int i) {
    heap[i] = conversation;
    conversation.heapIndex = i;
  }
}
