package io.switchboard.dryrun;

import io.switchboard.message.DeadLetter;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the pipeline would make of one item of a capture: one per object of a line (an array line has one per
 * element), or one for a line that is not JSON at all or that {@code POST /events} would refuse.
 *
 * @param line           1-based line of the capture
 * @param item           index within an array line, or -1 when the line is not an array
 * @param reason         why it did not go on: the dead-letter reason code, {@code duplicate_id} or
 *                       {@code duplicate_content}, the refusal; for an accepted event delivered despite a lifecycle
 *                       violation ({@code state.invalidTransitions: "flag"}) the violation's code; else {@code null}
 * @param stage          where it was dead-lettered, else {@code null}
 * @param detail         the dead letter's error, why it was ignored or refused, or the flagged violation's error
 * @param state          the conversation's state after an accepted event, else {@code null}
 * @param late           reorder released it after a later event of its conversation (flagged, still delivered)
 * @param targets        for an accepted event, the targets whose filters select it, in config order
 */
public record EventVerdict(long line, int item, Outcome outcome, String eventId, String conversationId,
                           String eventType, String reason, DeadLetter.Stage stage, String detail, String state,
                           boolean late, List<TargetMatch> targets) {

  /** The verdicts, spelled as in {@code POST /events} results, plus {@code refused}. */
  public enum Outcome {
    ACCEPTED, DUPLICATE, DEAD_LETTERED, IGNORED,
    /** {@code POST /events} would answer 413: the body is too large or has too many items. Nothing is kept. */
    REFUSED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public EventVerdict {
    Objects.requireNonNull(outcome, "outcome");
    targets = List.copyOf(targets);
  }

  /** The same verdict for the item at {@code line}, {@code item}. */
  EventVerdict at(long line, int item) {
    return new EventVerdict(line, item, outcome, eventId, conversationId, eventType, reason, stage, detail, state, late,
        targets);
  }

  /** {@code 12} for a line, {@code 12[3]} for the fourth element of an array line. */
  public String position() {
    return item < 0 ? Long.toString(line) : line + "[" + item + "]";
  }

  /** {@code validate/schema_invalid}, or just the reason when there is no stage. */
  public String where() {
    return stage == null ? reason : stage.name().toLowerCase(Locale.ROOT) + "/" + reason;
  }
}
