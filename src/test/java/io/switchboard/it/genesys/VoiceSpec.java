package io.switchboard.it.genesys;

import java.util.List;
import java.util.Objects;

/**
 * Who and what a modelled inbound voice call involves: the ids (conversation, queue, agent user), display names,
 * caller and dialled numbers, an optional external contact, division, requested skills and language, the IVR flow,
 * and the provider string. {@link #of} fills realistic defaults taken from the shared samples; the {@code with...}
 * methods change one aspect. The voice provider {@code "Edge"} is the usual value but <b>not verified</b>.
 */
public record VoiceSpec(String conversationId, String queueId, String userId, String queueName, String agentName,
    String customerName, String ani, String dnis, String externalContactId, String divisionId, List<String> skillIds,
    String languageId, String flowId, String flowName, String provider) {

  /** The Home division of the samples. */
  public static final String DEFAULT_DIVISION = "68679295-0223-4b5d-aecb-656d77977de2";

  public VoiceSpec {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(queueId, "queueId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(queueName, "queueName");
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(customerName, "customerName");
    Objects.requireNonNull(ani, "ani");
    Objects.requireNonNull(dnis, "dnis");
    Objects.requireNonNull(divisionId, "divisionId");
    skillIds = List.copyOf(skillIds);
    Objects.requireNonNull(flowId, "flowId");
    Objects.requireNonNull(flowName, "flowName");
    Objects.requireNonNull(provider, "provider");
  }

  public static VoiceSpec of(String conversationId, String queueId, String userId) {
    return new VoiceSpec(conversationId, queueId, userId, "Support", "Avery Agent", "Mobile Number, Georgia",
        "tel:+15551230001", "tel:+18005550100", null, DEFAULT_DIVISION, List.of(), null,
        "0a5b2a08-9092-43da-9762-727aa5fa1e19", "Main Inbound Flow", "Edge");
  }

  public VoiceSpec withCaller(String ani, String customerName) {
    return new VoiceSpec(conversationId, queueId, userId, queueName, agentName, customerName, ani, dnis,
        externalContactId, divisionId, skillIds, languageId, flowId, flowName, provider);
  }

  public VoiceSpec withDnis(String dnis) {
    return new VoiceSpec(conversationId, queueId, userId, queueName, agentName, customerName, ani, dnis,
        externalContactId, divisionId, skillIds, languageId, flowId, flowName, provider);
  }

  public VoiceSpec withExternalContactId(String externalContactId) {
    return new VoiceSpec(conversationId, queueId, userId, queueName, agentName, customerName, ani, dnis,
        externalContactId, divisionId, skillIds, languageId, flowId, flowName, provider);
  }

  public VoiceSpec withNames(String queueName, String agentName) {
    return new VoiceSpec(conversationId, queueId, userId, queueName, agentName, customerName, ani, dnis,
        externalContactId, divisionId, skillIds, languageId, flowId, flowName, provider);
  }

  public VoiceSpec withRouting(List<String> skillIds, String languageId) {
    return new VoiceSpec(conversationId, queueId, userId, queueName, agentName, customerName, ani, dnis,
        externalContactId, divisionId, skillIds, languageId, flowId, flowName, provider);
  }

  public VoiceSpec withDivision(String divisionId) {
    return new VoiceSpec(conversationId, queueId, userId, queueName, agentName, customerName, ani, dnis,
        externalContactId, divisionId, skillIds, languageId, flowId, flowName, provider);
  }
}
