package io.switchboard.state;

/**
 * What the named guards see: the conversation's session picture as it is <em>after</em> the event's own
 * session bookkeeping (so a {@code user.end} already no longer counts its agent as connected, and an
 * {@code acw} has already cleared the pending after-call work it completes).
 *
 * @param customerEnded   a customer session has ended and none is open
 * @param awaitingAcw     the most recently ended agent session has not had its after-call work yet
 * @param agentsConnected open agent sessions
 * @param queuesWaiting   open ACD sessions
 * @param flowsActive     open flow sessions
 * @param sessionsOpen    open sessions of any role
 */
record Facts(
    boolean customerEnded,
    boolean awaitingAcw,
    int agentsConnected,
    int queuesWaiting,
    int flowsActive,
    int sessionsOpen) {
}
