/**
 * The {@code kafka} target type: one record per event on an Apache Kafka topic, written by Kafka's idempotent producer
 * ({@code acks=all}) through Vert.x's Kafka client.
 *
 * <pre>{@code
 * { "id": "genesys-kafka", "type": "kafka",
 *   "bootstrapServers": "kafka-1:9092,kafka-2:9092", "topic": "genesys.conversations",
 *   "securityProtocol": "SASL_SSL",
 *   "sasl": { "mechanism": "SCRAM-SHA-512", "username": "switchboard", "passwordEnv": "KAFKA_PASSWORD" },
 *   "key": "conversation", "idempotencyHeader": "idempotency-key",
 *   "compression": "lz4", "lingerMs": 5, "batchBytes": 65536, "maxRecordBytes": 1048576,
 *   "deliveryTimeoutMs": 30000, "requestTimeoutMs": 10000 }
 * }</pre>
 *
 * <p>{@link io.switchboard.dispatch.kafka.KafkaTargetOptions} reads and validates those keys (the connection ones
 * through {@link io.switchboard.config.KafkaConnection}) and owns the producer properties that keep delivery safe;
 * {@link io.switchboard.dispatch.kafka.RecordKeys} picks each record's key, which is also its ordering key;
 * {@link io.switchboard.dispatch.kafka.KafkaDeliveryChannel} sends and answers each record with an
 * {@link io.switchboard.dispatch.Outcome} mapped by {@code KafkaOutcomes}, leaving every retry decision beyond the
 * producer's own (bounded by {@code deliveryTimeoutMs}) to the dispatcher.
 */
package io.switchboard.dispatch.kafka;
