package io.switchboard.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Objects;

/**
 * Base of every Switchboard codec. Local delivery passes the same immutable record (no copy); the wire
 * form is a version byte followed by the subclass's length-prefixed fields, so that nodes of different
 * releases in one cluster fail loudly instead of misreading each other.
 */
abstract class SwitchboardCodec<T> implements MessageCodec<T, T> {

  private final String name;
  private final byte version;

  SwitchboardCodec(String name, byte version) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = version;
  }

  @Override
  public final void encodeToWire(Buffer buffer, T value) {
    buffer.appendByte(version);
    encodeFields(buffer, value);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    Wire.expectVersion(buffer, pos, version, name);
    return decodeFields(new Wire.Reader(buffer, pos + 1));
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
}
