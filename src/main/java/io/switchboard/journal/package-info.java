/**
 * The ingest journal: every event a source admits is appended here, with group commit, before the source
 * acknowledges it, and stays until everything up to it has settled and the stages' state covering it has been
 * checkpointed. After a crash the unsettled tail is replayed through the pipeline. Stored in the park log's format.
 */
package io.switchboard.journal;
