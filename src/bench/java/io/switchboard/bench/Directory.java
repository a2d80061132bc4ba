package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fake organisation the conversations happen in: division, queues, agents, flows, codes. Drawn once per
 * seed, so that agents and queues recur across conversations as they do in a real contact centre. The
 * division and the Support, Chat and Callback queues are the ids of the shipped samples.
 */
final class Directory {

  static final String DIVISION = "68679295-0223-4b5d-aecb-656d77977de2";
  static final String CHAT_QUEUE = "b74770d1-1b52-4159-8687-8bc3af71001a";
  static final String CALLBACK_QUEUE = "c3f1b5d3-98db-45a6-a20b-2cf0dd311efa";
  private static final String SUPPORT_QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";

  static final List<String> INTENTS = List.of("billing_dispute", "new_order", "cancel", "tech_support",
      "address_change", "payment_arrangement");
  static final List<String> LANGUAGES = List.of("en-US", "en-US", "en-US", "es-US", "fr-CA");
  static final List<String> WRAPUP_NOTES = List.of("Refund issued for duplicate charge; customer satisfied.",
      "Called back, address updated.", "Order placed.", "Escalated to tier 2.", "Password reset.", "");
  static final List<String> CALLBACK_NAMES = List.of("Jordan Example", "Sam Sample", "Alex Placeholder",
      "Riley Test", "Casey Demo");

  final List<String> voiceQueues;
  final List<String> agents;
  final List<String> flows;
  final List<String> wrapupCodes;
  final List<String> skills;
  final List<String> languageIds;
  final List<String> dnis;
  final String messengerDeployment;

  Directory(Rng rng) {
    List<String> queues = new ArrayList<>(List.of(SUPPORT_QUEUE));
    queues.addAll(draw(2, rng::uuid));
    this.voiceQueues = List.copyOf(queues);
    this.agents = draw(150, rng::uuid);
    this.flows = draw(3, rng::uuid);
    this.wrapupCodes = draw(8, rng::uuid);
    this.skills = draw(6, rng::uuid);
    this.languageIds = draw(3, rng::uuid);
    this.dnis = draw(4, () -> "tel:+1800555" + rng.digits(4));
    this.messengerDeployment = rng.uuid();
  }

  private static List<String> draw(int count, Supplier<String> next) {
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(next.get());
    }
    return List.copyOf(out);
  }
}
