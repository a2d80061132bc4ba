/**
 * Per-conversation lifecycle and state: the config-driven state machine ({@link
 * io.switchboard.state.LifecycleDefinition}), the lean tracker both the reorder and the state stage keep per
 * open conversation ({@link io.switchboard.state.ConversationLifecycle}), the state stage's full view of a
 * conversation ({@link io.switchboard.state.Conversation}) and its per-shard store ({@link
 * io.switchboard.state.ConversationStore}). Plain classes, no Vert.x runtime: a verticle wires them to the bus.
 */
package io.switchboard.state;
