package io.switchboard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Injects the delivery defects an EventBridge consumer sees into one conversation's in-order sends: local swaps
 * (an event overtakes the one before it), bursts (a run of events sent back to back in another order), long
 * delays (an event held back in real time while its successors go ahead), redeliveries (same envelope again) and
 * re-publications (same content, new envelope id). Copies always follow their original, as they do in real
 * delivery: a held original's copies are held as long.
 *
 * <p>Every choice comes from the seed. A kind of defect whose ratio is 0 draws nothing from it, so options
 * without bursts and delays give the very sends they gave before those existed.
 */
final class Disorder {

  private final Rng rng;
  private final GeneratorOptions options;

  Disorder(Rng rng, GeneratorOptions options) {
    this.rng = Objects.requireNonNull(rng, "rng");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** @param inOrder originals in eventTime order, virtual times non-decreasing */
  List<Send> apply(List<Send> inOrder) {
    DelayOptions delays = options.delays();
    List<Send> all = new ArrayList<>(inOrder.size() + 2);
    List<Send> copies = new ArrayList<>(2);
    for (Send send : reorder(inOrder)) {
      Send original = rng.chance(delays.ratio()) ? send.held(delay(delays)) : send;
      all.add(original);
      if (rng.chance(options.duplicateRatio())) {
        copies.add(original.redelivered(original.virtualTime() + rng.between(200, 30_000)));
      }
      if (rng.chance(options.republishRatio())) {
        copies.add(original.republished(rng.uuid(), original.virtualTime() + rng.between(1_000, 60_000)));
      }
    }
    all.addAll(copies);
    // Stable: originals were added first and keep their order on equal times.
    all.sort(Comparator.comparingLong(Send::virtualTime));
    return all;
  }

  /**
   * Swaps and bursts. Both move events only to the virtual time of the last event of their run, so that the run is
   * sent back to back, reordered. (Exchanging send slots instead would delay an event by the whole gap between
   * them, often minutes of event time: that is a late event, which is what {@link DelayOptions} makes, in real
   * time.)
   */
  private List<Send> reorder(List<Send> inOrder) {
    List<Send> sends = new ArrayList<>(inOrder);
    BurstOptions bursts = options.bursts();
    int i = 0;
    while (i + 1 < sends.size()) {
      if (rng.chance(bursts.ratio())) {
        int end = Math.min(sends.size(), i + bursts.size());
        burst(sends, i, end, bursts.order());
        i = end;
      } else if (rng.chance(options.swapRatio())) {
        Send first = sends.get(i);
        Send second = sends.get(i + 1);
        sends.set(i, second);
        sends.set(i + 1, first.at(second.virtualTime()));
        i += 2;
      } else {
        i++;
      }
    }
    return sends;
  }

  /** Reorders {@code sends[from, to)}, at least two, into an order other than the original one. */
  private void burst(List<Send> sends, int from, int to, BurstOptions.Order order) {
    long time = sends.get(to - 1).virtualTime();
    List<Send> run = new ArrayList<>(sends.subList(from, to));
    List<Send> reordered = new ArrayList<>(run);
    if (order == BurstOptions.Order.REVERSE) {
      Collections.reverse(reordered);
    } else {
      do {
        for (int k = reordered.size() - 1; k > 0; k--) {
          Collections.swap(reordered, k, rng.below(k + 1));
        }
      } while (reordered.equals(run));
    }
    for (int k = 0; k < reordered.size(); k++) {
      sends.set(from + k, reordered.get(k).at(time));
    }
  }

  private long delay(DelayOptions delays) {
    return delays.distribution() == DelayOptions.Distribution.UNIFORM
        ? rng.between(delays.minMillis(), delays.maxMillis())
        : rng.logUniform(delays.minMillis(), delays.maxMillis());
  }
}
