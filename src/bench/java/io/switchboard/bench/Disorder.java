package io.switchboard.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Injects the delivery defects an EventBridge consumer sees into one conversation's in-order sends:
 * local swaps (an event overtakes the one before it), redeliveries (same envelope again) and re-publications
 * (same content, new envelope id). Copies always follow their original, as they do in real delivery.
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
    List<Send> originals = new ArrayList<>(inOrder);
    // A swap delays the earlier event until just after the later one: the pair arrives back to back, reversed.
    // (Swapping their send slots instead would delay the earlier event by the whole gap between them, often
    // minutes of event time: that is a late event, not a local swap.)
    for (int i = 0; i + 1 < originals.size(); i++) {
      if (rng.chance(options.swapRatio())) {
        Send first = originals.get(i);
        Send second = originals.get(i + 1);
        originals.set(i, second);
        originals.set(i + 1, first.at(second.virtualTime()));
        i++;
      }
    }
    List<Send> all = new ArrayList<>(originals);
    for (Send original : originals) {
      if (rng.chance(options.duplicateRatio())) {
        all.add(original.redelivered(original.virtualTime() + rng.between(200, 30_000)));
      }
      if (rng.chance(options.republishRatio())) {
        all.add(original.republished(rng.uuid(), original.virtualTime() + rng.between(1_000, 60_000)));
      }
    }
    // Stable: originals were added first and keep their order on equal times.
    all.sort(Comparator.comparingLong(Send::virtualTime));
    return all;
  }
}
