package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.switchboard.message.PipelineEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One shard's conversations by id. The map is kept in order of last activity (an applied event moves its
 * conversation to the end), so idle and over-capacity eviction take from the head without scanning; terminal
 * conversations also queue in the order they ended, for retention. {@code nowMillis} must not go backwards.
 * Counts by state are maintained incrementally for metrics. Not thread-safe: owned by one verticle.
 */
public final class ConversationStore {

  private final LifecycleDefinition definition;
  private final StateSettings settings;
  private final LinkedHashMap<String, Conversation> conversations = new LinkedHashMap<>();
  private final ArrayDeque<Conversation> ended = new ArrayDeque<>();
  private final int[] byState;
  private int terminal;
  private long evictedClosed;
  private long evictedIdle;
  private long evictedOverflow;
  private boolean recovered;

  public ConversationStore(LifecycleDefinition definition, StateSettings settings) {
    this.definition = Objects.requireNonNull(definition, "definition");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.byState = new int[definition.stateCount()];
  }

  /**
   * Starts the shard afresh after its owner crashed with its state: every conversation seen from now on is known
   * only partly ({@link Conversation#markUnsure()}), since its earlier events died with that owner or come back
   * later, out of order.
   */
  public void recoverAfterCrash() {
    clear();
    recovered = true;
  }

  /**
   * Forgets every conversation: the shard was handed to another node, which holds them from now on (eviction
   * counters stay, they are this node's history).
   */
  public void clear() {
    recovered = false;
    conversations.clear();
    ended.clear();
    java.util.Arrays.fill(byState, 0);
    terminal = 0;
  }

  /** The conversation, or {@code null}. Reading does not count as activity. */
  public Conversation get(String conversationId) {
    return conversations.get(conversationId);
  }

  /**
   * Applies {@code event} to its conversation, creating it on its first event (adopting it mid-way when that
   * event is not a start: see {@link ConversationLifecycle}). A conversation whose very first event is rejected
   * and dead-lettered is not kept: there is nothing to remember about it; one whose rejected first event is
   * flagged is kept, since that event was recorded and delivered.
   */
  public ApplyResult apply(PipelineEvent event, long nowMillis) {
    String id = Objects.requireNonNull(event, "event").conversationId();
    Conversation conversation = conversations.get(id);
    boolean created = conversation == null;
    if (created) {
      conversation = new Conversation(id, definition, settings);
      if (recovered) {
        conversation.markUnsure();
      }
    }
    int before = conversation.stateIndex();
    boolean wasTerminal = conversation.isTerminal();
    ApplyResult result = conversation.apply(event, nowMillis);
    if (!result.delivered()) {
      return result;
    }
    if (created) {
      if (conversations.size() >= settings.maxConversations()) {
        evictEldest();
      }
      byState[before]++;
    } else {
      conversations.remove(id);
    }
    conversations.put(id, conversation);
    int after = conversation.stateIndex();
    if (after != before) {
      byState[before]--;
      byState[after]++;
    }
    if (!wasTerminal && conversation.isTerminal()) {
      terminal++;
      ended.addLast(conversation);
    }
    return result;
  }

  /**
   * Evicts terminal conversations older than {@code closedRetentionMillis} since they ended and any
   * conversation idle for {@code idleRetentionMillis}; returns how many went.
   */
  public int evict(long nowMillis) {
    int removed = 0;
    while (!ended.isEmpty()) {
      Conversation oldest = ended.peekFirst();
      if (conversations.get(oldest.id()) != oldest) {
        ended.pollFirst();
      } else if (oldest.terminalAtMillis() + settings.closedRetentionMillis() <= nowMillis) {
        ended.pollFirst();
        remove(oldest);
        evictedClosed++;
        removed++;
      } else {
        break;
      }
    }
    Iterator<Conversation> byActivity = conversations.values().iterator();
    while (byActivity.hasNext()) {
      Conversation next = byActivity.next();
      if (next.lastActivityMillis() + settings.idleRetentionMillis() > nowMillis) {
        break;
      }
      byActivity.remove();
      forget(next);
      evictedIdle++;
      removed++;
    }
    return removed;
  }

  /**
   * Writes every conversation, least recently active first, with the lifecycle's shape so that a snapshot taken
   * under another lifecycle definition is refused rather than misread.
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeInt(definition.shapeHash());
    out.writeInt(conversations.size());
    for (Conversation conversation : conversations.values()) {
      SnapshotIo.writeString(out, conversation.id());
      conversation.writeTo(out);
    }
  }

  /**
   * Replaces this (empty) store's conversations with a snapshot's, keeping their activity order; the terminal
   * ones queue for retention in the order they ended. Conversations beyond {@code maxConversations} are dropped
   * oldest first, as eviction would have.
   *
   * @throws IOException when the snapshot is damaged or was written under another lifecycle definition
   */
  public void readFrom(DataInput in) throws IOException {
    if (!conversations.isEmpty()) {
      throw new IllegalStateException("restore into an empty store only");
    }
    int shape = in.readInt();
    if (shape != definition.shapeHash()) {
      throw new IOException("the snapshot was written under another lifecycle definition");
    }
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("snapshot claims " + count + " conversations");
    }
    List<Conversation> ending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Conversation conversation = new Conversation(SnapshotIo.readString(in), definition, settings);
      conversation.readFrom(in);
      if (count - i > settings.maxConversations()) {
        evictedOverflow++;
        continue;
      }
      conversations.put(conversation.id(), conversation);
      byState[conversation.stateIndex()]++;
      if (conversation.isTerminal()) {
        terminal++;
        ending.add(conversation);
      }
    }
    ending.sort(Comparator.comparingLong(Conversation::terminalAtMillis));
    ended.addAll(ending);
  }

  public int size() {
    return conversations.size();
  }

  /** Conversations not in a terminal state. */
  public int openCount() {
    return conversations.size() - terminal;
  }

  /** Conversations in a terminal state, kept for their retention period. */
  public int terminalCount() {
    return terminal;
  }

  /** Conversations per state, every state of the definition present. */
  public Map<String, Integer> countByState() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < byState.length; i++) {
      out.put(definition.stateName(i), byState[i]);
    }
    return Collections.unmodifiableMap(out);
  }

  /** Evicted after their closed retention, since creation of the store. */
  public long evictedClosed() {
    return evictedClosed;
  }

  /** Evicted for idleness (including open conversations that never ended). */
  public long evictedIdle() {
    return evictedIdle;
  }

  /** Evicted as least recently active to stay within {@code maxConversations}. */
  public long evictedOverflow() {
    return evictedOverflow;
  }

  private void evictEldest() {
    Iterator<Conversation> eldest = conversations.values().iterator();
    Conversation victim = eldest.next();
    eldest.remove();
    forget(victim);
    evictedOverflow++;
  }

  private void remove(Conversation conversation) {
    conversations.remove(conversation.id());
    forget(conversation);
  }

  private void forget(Conversation conversation) {
    byState[conversation.stateIndex()]--;
    if (conversation.isTerminal()) {
      terminal--;
    }
  }
}
