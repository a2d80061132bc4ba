package io.switchboard.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The test broker itself: a real KRaft broker that keeps keyed order per partition and stores group commits. */
@Timeout(120)
class KafkaBrokerTest {

  private static final int KEYS = 12;
  private static final int PER_KEY = 20;

  @Test
  void verifiesThatKeyedRecordsComeBackOncePerPartitionInTheOrderTheyWereProduced() {
    KafkaBroker broker = KafkaBroker.shared();
    assertSame(broker, KafkaBroker.shared(), "one broker per JVM");
    broker.createTopic("broker-order", 3);
    // Interleaved keys, so each partition's log mixes several keys and a reordering would show.
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int n = 0; n < PER_KEY; n++) {
      for (int k = 0; k < KEYS; k++) {
        records.add(new ProducerRecord<>("broker-order", "key-" + k, ("key-" + k + ":" + n).getBytes(StandardCharsets.UTF_8)));
      }
    }
    broker.produce(records);

    List<ConsumerRecord<String, byte[]>> read = broker.readAll("broker-order");

    assertEquals(KEYS * PER_KEY, read.size());
    Map<String, Set<Integer>> partitionsOfKey = read.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
        Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
    partitionsOfKey.forEach((key, partitions) -> assertEquals(1, partitions.size(), key + " in one partition"));
    assertEquals(3, read.stream().map(ConsumerRecord::partition).distinct().count(), "keys spread over 3 partitions");
    Map<String, List<Integer>> sequenceOfKey = new LinkedHashMap<>();
    Map<Integer, List<Long>> offsetsOfPartition = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> record : read) {
      String[] value = new String(record.value(), StandardCharsets.UTF_8).split(":");
      assertEquals(record.key(), value[0]);
      sequenceOfKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(value[1]));
      offsetsOfPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
    }
    List<Integer> expected = java.util.stream.IntStream.range(0, PER_KEY).boxed().toList();
    sequenceOfKey.forEach((key, sequence) -> assertEquals(expected, sequence, "order of " + key));
    offsetsOfPartition.forEach((partition, offsets) -> assertEquals(
        java.util.stream.LongStream.range(0, offsets.size()).boxed().toList(), offsets, "partition " + partition));
  }

  @Test
  void verifiesThatAGroupsCommittedOffsetsAreVisibleAndAMissingTopicReadsEmpty() {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopic("broker-commits", 2);
    TopicPartition p0 = new TopicPartition("broker-commits", 0);
    TopicPartition p1 = new TopicPartition("broker-commits", 1);
    assertEquals(Map.of(), broker.committed("nobody"));
    assertEquals(-1, broker.committedOffset("nobody", p0));

    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "committer");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.assign(List.of(p0, p1));
      consumer.commitSync(Map.of(p0, new OffsetAndMetadata(7)));
    }

    assertEquals(Map.of(p0, 7L), broker.committed("committer"));
    assertEquals(7, broker.committedOffset("committer", p0));
    assertEquals(-1, broker.committedOffset("committer", p1));
    assertTrue(broker.readAll("no-such-topic").isEmpty());
  }
}
