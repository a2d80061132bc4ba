package io.switchboard.dedup;

/**
 * Turns envelope ids and content fingerprints into non-zero 64-bit keys without allocating.
 *
 * <p>Every key is mixed with a per-window seed so that nobody who can choose ids or content can aim them at
 * one probe cluster of the hash table (HashDoS), and so that a layout bug cannot hide behind one lucky seed.
 * {@code 0} is the table's "empty" marker, so a key that mixes to {@code 0} is replaced by a fixed constant
 * per kind; that merges two inputs in 2<sup>64</sup>, which the false-positive figures already allow for.
 */
final class DedupKeys {

  /** Stands in for an id key that mixed to 0. Odd, high-entropy constants (golden ratio, xxHash prime). */
  static final long ID_ZERO = 0x9E3779B97F4A7C15L;
  /** Stands in for a fingerprint key that mixed to 0. */
  static final long FINGERPRINT_ZERO = 0xC2B2AE3D27D4EB4FL;

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;

  private DedupKeys() {
  }

  /**
   * Key of an envelope id. A canonical UUID (36 chars, hyphens at 8/13/18/23, hex in either case — RFC 4122
   * makes case irrelevant) is parsed into its two longs and those are mixed; any other string is hashed.
   */
  static long idKey(String id, long seed) {
    if (id.length() == 36 && id.charAt(8) == '-' && id.charAt(13) == '-' && id.charAt(18) == '-'
        && id.charAt(23) == '-') {
      long msb = 0;
      long lsb = 0;
      int invalid = 0;
      for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
          continue;
        }
        int digit = hexDigit(id.charAt(i));
        invalid |= digit; // goes negative on any non-hex char; the garbage bits below are then discarded
        if (i < 18) {
          msb = msb << 4 | digit;
        } else {
          lsb = lsb << 4 | digit;
        }
      }
      if (invalid >= 0) {
        return nonZero(mix(msb ^ mix(lsb ^ seed)), ID_ZERO);
      }
    }
    return nonZero(stringHash(id, seed), ID_ZERO);
  }

  /**
   * Key of a content fingerprint. Its first 16 hex chars already are 64 uniform bits of a digest, so they are
   * only seeded (the mix is a bijection: no collisions are added). Anything that is not at least 16 hex chars
   * is hashed as a string instead of being rejected: dedup must not throw on the dispatch path.
   */
  static long fingerprintKey(String fingerprint, long seed) {
    if (fingerprint.length() >= 16) {
      long prefix = 0;
      int invalid = 0;
      for (int i = 0; i < 16; i++) {
        int digit = hexDigit(fingerprint.charAt(i));
        invalid |= digit;
        prefix = prefix << 4 | digit;
      }
      if (invalid >= 0) {
        return nonZero(mix(prefix ^ seed), FINGERPRINT_ZERO);
      }
    }
    return nonZero(stringHash(fingerprint, ~seed), FINGERPRINT_ZERO);
  }

  /**
   * A seeded 64-bit hash of the UTF-16 chars: four chars fill one 64-bit block, each block goes through an
   * xxHash64 round, the length is folded in (so "a" and "a\0" differ) and MurmurHash3's finaliser avalanches.
   */
  static long stringHash(String s, long seed) {
    int length = s.length();
    long acc = seed + P1;
    int i = 0;
    for (; i + 4 <= length; i += 4) {
      long block = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
          | (long) s.charAt(i + 3) << 48;
      acc = round(acc, block);
    }
    if (i < length) {
      long block = 0;
      for (int shift = 0; i < length; i++, shift += 16) {
        block |= (long) s.charAt(i) << shift;
      }
      acc = round(acc, block);
    }
    return mix(acc ^ length);
  }

  /** MurmurHash3 fmix64: a bijection with full avalanche; {@code mix(0) == 0}. */
  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
    z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  private static long round(long acc, long block) {
    return Long.rotateLeft(acc + block * P2, 31) * P1;
  }

  private static long nonZero(long key, long substitute) {
    return key != 0 ? key : substitute;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
