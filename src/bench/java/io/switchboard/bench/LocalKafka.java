package io.switchboard.bench;

import io.switchboard.it.KafkaBroker;

import java.util.concurrent.CountDownLatch;

/**
 * A local Kafka broker for trying the {@code kafka} source and target by hand: the tests' own KRaft broker (Apache
 * Kafka's jars from Maven Central, no install), with the topics named as {@code name:partitions} arguments, running
 * until Ctrl-C. Its data lives under {@code target/kafka-broker/} and is removed when it stops.
 *
 * <pre>mvn -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.bench.LocalKafka -Dbench.args="genesys-in:3 genesys-out:3"</pre>
 */
public final class LocalKafka {

  private LocalKafka() {
  }

  public static void main(String[] args) throws InterruptedException {
    KafkaBroker broker = KafkaBroker.start();
    StringBuilder topics = new StringBuilder();
    for (String arg : args) {
      String[] parts = arg.split(":", 2);
      int partitions = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
      broker.createTopic(parts[0], partitions);
      topics.append(topics.isEmpty() ? "" : ", ").append(parts[0]).append(" (").append(partitions)
          .append(partitions == 1 ? " partition)" : " partitions)");
    }
    System.out.println("kafka broker at " + broker.bootstrapServers() + (topics.isEmpty() ? "" : "; topics " + topics)
        + "; Ctrl-C stops it");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
    stopped.await();
  }
}
