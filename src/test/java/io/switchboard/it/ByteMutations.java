package io.switchboard.it;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Poison made on the bytes of a well-formed body: cut short, bytes flipped, a BOM, bad UTF-8, a key twice. */
final class ByteMutations {

  /** Sequences no UTF-8 decoder may accept: lone continuation, overlong, surrogate, past U+10FFFF, cut short. */
  private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
      new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xE2, (byte) 0x82},
      new byte[] {(byte) 0xFE, (byte) 0xFE, 0x41});
  private static final List<String> DUPLICATES = List.of("\"id\":\"dup-%d\",", "\"detail\":null,", "\"detail-type\":7,",
      "\"eventBody\":{},", "\"topicName\":\"v2.detail.events.conversation.x.acd.start\",", "\"id\":%d,");

  private ByteMutations() {
  }

  static Buffer truncate(Random random, Buffer body) {
    return body.getBuffer(0, random.nextInt(body.length()));
  }

  static Buffer flip(Random random, Buffer body) {
    byte[] bytes = body.getBytes();
    for (int n = 1 + random.nextInt(8); n > 0; n--) {
      int at = random.nextInt(bytes.length);
      bytes[at] = random.nextBoolean() ? (byte) (bytes[at] ^ (1 << random.nextInt(8))) : (byte) random.nextInt(256);
    }
    return Buffer.buffer(bytes);
  }

  /** A UTF-8 BOM on UTF-8 text, or the body re-encoded as UTF-16/32 with (or without) its BOM. */
  static Buffer bom(Random random, Buffer body) {
    String text = body.toString(StandardCharsets.UTF_8);
    return switch (random.nextInt(5)) {
      case 0 -> Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}).appendBuffer(body);
      case 1 -> Buffer.buffer(text.getBytes(StandardCharsets.UTF_16)); // big-endian with a BOM
      case 2 -> Buffer.buffer(new byte[] {(byte) 0xFF, (byte) 0xFE}).appendBytes(text.getBytes(StandardCharsets.UTF_16LE));
      case 3 -> Buffer.buffer(text.getBytes(Charset.forName("UTF-32BE")));
      default -> Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xEF, (byte) 0xBB, (byte) 0xBF})
          .appendBuffer(body);
    };
  }

  /** Invalid UTF-8 just inside a string value (or, now and then, anywhere). */
  static Buffer invalidUtf8(Random random, Buffer body) {
    byte[] bytes = body.getBytes();
    int at = random.nextInt(4) == 0 ? random.nextInt(bytes.length) : insideAString(random, bytes);
    return splice(bytes, at, INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size())));
  }

  /** A key the body already has, repeated with another value right after the first opening brace. */
  static Buffer duplicateKey(Random random, Buffer body) {
    byte[] bytes = body.getBytes();
    int brace = -1;
    for (int i = 0; i < bytes.length && brace < 0; i++) {
      brace = bytes[i] == '{' ? i : -1;
    }
    String key = DUPLICATES.get(random.nextInt(DUPLICATES.size())).formatted(random.nextInt(1000));
    return splice(bytes, brace + 1, key.getBytes(StandardCharsets.UTF_8));
  }

  /** Just after the opening quote of some string value ({@code ": "}), or anywhere when there is none. */
  private static int insideAString(Random random, byte[] bytes) {
    int start = random.nextInt(bytes.length);
    for (int i = start; i < bytes.length - 1; i++) {
      if (bytes[i] == ':' && (bytes[i + 1] == '"' || i + 2 < bytes.length && bytes[i + 1] == ' ' && bytes[i + 2] == '"')) {
        return bytes[i + 1] == '"' ? i + 2 : i + 3;
      }
    }
    return start;
  }

  private static Buffer splice(byte[] bytes, int at, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
    out.write(bytes, 0, at);
    out.write(insert, 0, insert.length);
    out.write(bytes, at, bytes.length - at);
    return Buffer.buffer(out.toByteArray());
  }
}
