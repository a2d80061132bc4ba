/**
 * The {@code kinesis} target type: events written to an Amazon Kinesis data stream with PutRecords, through the
 * AWS SDK for Java v2's async client on its Netty NIO HTTP client.
 *
 * <pre>{@code
 * { "id": "genesys-stream", "type": "kinesis",
 *   "streamArn": "arn:aws:kinesis:eu-west-1:123456789012:stream/genesys-events",
 *   "partitionKey": "conversation",
 *   "maxRecordBytes": 1048576, "maxRequestBytes": 5242880, "maxBatch": 500, "lingerMs": 10,
 *   "maxRequestsInFlight": 4, "timeoutMs": 10000 }
 * }</pre>
 *
 * <p>{@link io.switchboard.dispatch.kinesis.KinesisTargetOptions} reads and validates those keys (credentials
 * always come from the AWS default provider chain); {@link io.switchboard.dispatch.kinesis.PartitionKeys} picks
 * each record's partition key, which is also its ordering key;
 * {@link io.switchboard.dispatch.kinesis.KinesisDeliveryChannel} batches, sends and answers each record with an
 * {@link io.switchboard.dispatch.Outcome} mapped by {@code PutRecordsOutcomes}, leaving every retry decision to
 * the dispatcher, so only failed entries are ever sent again and never ahead of their key's earlier records.
 */
package io.switchboard.dispatch.kinesis;
