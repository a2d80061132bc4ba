package io.switchboard.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Objects;

/**
 * Base of every Switchboard codec. Local delivery passes the same immutable record (no copy); the wire
 * form is a version byte followed by the subclass's length-prefixed fields, so that nodes of different
 * releases in one cluster fail loudly instead of misreading each other. A codec may also read older versions
 * of its own form (fields are only ever appended): a newer node then still reads what an older one wrote, e.g.
 * park-log records from before an upgrade, while an older node still rejects the newer form.
 */
abstract class SwitchboardCodec<T> implements MessageCodec<T, T> {

  private final String name;
  private final byte version;
  private final byte oldestReadable;

  SwitchboardCodec(String name, byte version) {
    this(name, version, version);
  }

  /** Writes {@code version}; reads {@code oldestReadable} up to {@code version}. */
  SwitchboardCodec(String name, byte version, byte oldestReadable) {
    if (oldestReadable < 1 || oldestReadable > version) {
      throw new IllegalArgumentException("oldest readable version " + oldestReadable + " not in 1.." + version);
    }
    this.name = Objects.requireNonNull(name, "name");
    this.version = version;
    this.oldestReadable = oldestReadable;
  }

  @Override
  public final void encodeToWire(Buffer buffer, T value) {
    buffer.appendByte(version);
    encodeFields(buffer, value);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    byte found = Wire.expectVersion(buffer, pos, oldestReadable, version, name);
    return decodeFields(new Wire.Reader(buffer, pos + 1), found);
  }

  /** Records are immutable, so local delivery can hand over the very same instance. */
  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }

  abstract void encodeFields(Buffer out, T value);

  abstract T decodeFields(Wire.Reader in);

  /** Decodes the fields of wire version {@code version}; codecs that read older versions override this. */
  T decodeFields(Wire.Reader in, byte version) {
    return decodeFields(in);
  }
}
