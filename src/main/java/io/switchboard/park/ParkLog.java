package io.switchboard.park;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A durable FIFO of byte records for one delivery target: its overflow is parked here and redriven oldest first
 * once the target answers again. Appended records get consecutive offsets (sequence numbers from 0, stable
 * across restarts) and are consumed by peeking at the oldest ones and committing a prefix of what was peeked.
 *
 * <h2>Threading: blocking by design</h2>
 * Every method does blocking file I/O, {@code fsync} included. Never call it from an event loop: each target's log
 * is owned by one worker context and driven through ordered {@code executeBlocking}, which runs one call at a
 * time and orders the calls even when they land on different worker threads. The class is not thread-safe and
 * takes no locks. Interrupting a thread inside a call closes the underlying channel (that is how
 * {@link FileChannel} reacts), which fails the log as any I/O error does.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>When {@link #append} returns, the whole batch is on disk ({@code fdatasync} once per segment written,
 *       plus a directory sync when a segment was created): it survives a process crash, and a power loss on
 *       storage that honours flushes.</li>
 *   <li>{@link #peek} returns the oldest uncommitted records, the same ones again until they are committed.</li>
 *   <li>{@link #commit} is durable when it returns; after a crash the log resumes at the last committed cursor,
 *       so a record is handed out again only if it was not committed.</li>
 *   <li>{@link #pendingBytes()} (headers included) never exceeds {@code maxBytes}: an append that would pass it
 *       throws {@link ParkFullException} and writes nothing. The directory holds at most {@code maxBytes +
 *       segmentBytes} of segments, the excess being the consumed head of the oldest segment.</li>
 *   <li>{@link #open} recovers from a crash at any point (see {@link ParkRecovery}) and holds an exclusive lock
 *       on the directory until {@link #close}, so two owners cannot interleave writes.</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * After any {@link IOException} the instance refuses further use ({@link IllegalStateException}): after a failed
 * write or {@code fsync} its view of the files can no longer be trusted. Close it and open it again, which
 * re-validates the files. A batch whose append failed may or may not survive that reopen: treat it as not parked
 * (do not settle its events), and accept that if it did survive, redrive delivers it a second time. Duplicates,
 * never loss.
 *
 * <h2>On disk</h2>
 * One directory per target holding {@code park-<20-digit first offset>.log} segments of back-to-back records
 * {@code [int length][int crc32 of length and payload][payload]} (big-endian), the {@code cursor} (see
 * {@link #commit}), an empty {@code lock} file and, after a repair, {@code *.corrupt} files for an operator.
 * Segments roll before a record would take them past {@code segmentBytes}; a segment is deleted once all its
 * records are committed, except the newest, which is kept for the next appends.
 */
public final class ParkLog implements Closeable {

  /** Largest allowed segment size, hence largest record. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  private static final Logger LOG = LoggerFactory.getLogger(ParkLog.class);
  private static final String LOCK_NAME = "lock";
  private static final long MAX_PAYLOAD = MAX_SEGMENT_BYTES - RecordFormat.HEADER_BYTES;

  /** A record read ahead of the commit point, with its size on disk. */
  private record Entry(Parked parked, long bytes) {
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final FileChannel lockChannel;
  private final List<Segment> segments;
  private final ParkRecovery recovery;
  private final RecordReader reader = new RecordReader();
  /** What peek hands out: the oldest uncommitted records, read once and kept until committed. */
  private final ArrayDeque<Entry> peeked = new ArrayDeque<>();
  /** On-disk sizes of the records appended since open and not yet read ahead, oldest first: lets a commit skip
   *  records nobody peeked (a journal's) without reading them back. */
  private final SizeQueue unread = new SizeQueue();
  private boolean unforced;
  private long committedOffset;
  private long nextOffset;
  private long pendingBytes;
  /** Where the next record not yet in {@link #peeked} starts; null means "at the start of a segment". */
  private Segment aheadSegment;
  private long aheadPosition;
  private long aheadOffset;
  private IOException failure;
  private boolean closed;
  /** Where {@link #scan} continues: its own position, apart from the read-ahead, and nothing retained. */
  private final RecordReader scanReader = new RecordReader();
  private Segment scanSegment;
  private long scanPosition;
  private long scanOffset;
  /** The scan covers what was on disk at open, never what was appended since. */
  private final long scanEnd;
  private boolean scanDone;
  private boolean scanStarted;

  private ParkLog(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel,
                  LogRecovery.Recovered recovered) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.lockChannel = lockChannel;
    this.segments = new ArrayList<>(recovered.segments());
    this.recovery = recovered.report();
    this.committedOffset = recovered.readOffset();
    this.nextOffset = recovered.nextOffset();
    this.pendingBytes = recovered.pendingBytes();
    this.aheadSegment = recovered.readSegment();
    this.aheadPosition = recovered.readPosition();
    this.aheadOffset = recovered.readOffset();
    this.scanSegment = recovered.readSegment();
    this.scanPosition = recovered.readPosition();
    this.scanOffset = recovered.readOffset();
    this.scanEnd = recovered.nextOffset();
  }

  /**
   * Opens (creating it if needed) the log in {@code dir} and recovers it: every record is validated, a damaged
   * tail is cut off and the committed cursor restored. Takes time proportional to the bytes in the directory.
   *
   * @param maxBytes     bound on {@link #pendingBytes()}
   * @param segmentBytes size at which segments roll; also the largest record, header included
   * @throws IOException if the directory cannot be used or is held by another open log
   */
  public static ParkLog open(Path dir, long maxBytes, long segmentBytes) throws IOException {
    Objects.requireNonNull(dir, "dir");
    if (segmentBytes <= RecordFormat.HEADER_BYTES || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException("segmentBytes must be in (" + RecordFormat.HEADER_BYTES + ", "
          + MAX_SEGMENT_BYTES + "], got " + segmentBytes);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    Files.createDirectories(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_NAME), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      FileLock lock = lockChannel.tryLock();
      if (lock == null) {
        throw new IOException("park log [" + dir + "] is held by another process");
      }
      LogRecovery.Recovered recovered = LogRecovery.run(dir);
      ParkRecovery report = recovered.report();
      for (String note : report.notes()) {
        LOG.warn("park log [{}] recovery: {}", dir, note);
      }
      LOG.debug("park log [{}] open: {} pending records, {} pending bytes", dir, report.pendingRecords(),
          recovered.pendingBytes());
      return new ParkLog(dir, maxBytes, segmentBytes, lockChannel, recovered);
    } catch (OverlappingFileLockException heldHere) {
      lockChannel.close();
      throw new IOException("park log [" + dir + "] is already open in this process", heldHere);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  /**
   * Appends the records in order and forces them to disk once.
   *
   * @return the offset of the last record; the batch holds the offsets before it, consecutively
   * @throws ParkFullException        if the batch would take {@link #pendingBytes()} past {@code maxBytes};
   *                                  nothing was written
   * @throws IllegalArgumentException if the batch is empty or a record exceeds {@code segmentBytes} with its header
   * @throws IOException              if writing or syncing failed; the batch may or may not have been parked
   */
  public long append(List<byte[]> records) throws IOException, ParkFullException {
    return append(records, true);
  }

  /**
   * Appends the records in order; forces them to disk only when {@code force}. Unforced records survive a
   * process crash (they are in the operating system's cache once this returns) but not an OS crash or power
   * loss until the next forced append or {@link #force()}.
   *
   * @return the offset of the last record
   */
  public long append(List<byte[]> records, boolean force) throws IOException, ParkFullException {
    ensureUsable();
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      throw new IllegalArgumentException("nothing to append");
    }
    long batchBytes = 0;
    for (byte[] record : records) {
      Objects.requireNonNull(record, "record");
      if (RecordFormat.recordBytes(record.length) > segmentBytes) {
        throw new IllegalArgumentException("a record of " + record.length + " bytes does not fit a segment of "
            + segmentBytes + " bytes");
      }
      batchBytes += RecordFormat.recordBytes(record.length);
    }
    if (batchBytes > maxBytes - pendingBytes) {
      throw new ParkFullException(batchBytes, pendingBytes, maxBytes);
    }
    try {
      write(records, force);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    return nextOffset - 1;
  }

  /** Forces every appended record to disk; a no-op when nothing unforced was appended. */
  public void force() throws IOException {
    ensureUsable();
    if (!unforced || segments.isEmpty()) {
      return;
    }
    try {
      // Unforced appends only ever go to the newest segments; rolling forces the one it leaves (see write).
      segments.get(segments.size() - 1).channel().force(false);
      unforced = false;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * The oldest uncommitted records, at most {@code maxRecords}, oldest first; empty when nothing is pending.
   * Nothing is consumed: until a commit, every peek starts with the same records. Each record is read from disk
   * once and kept in memory until committed, so memory grows with the largest {@code maxRecords} asked for.
   */
  public List<Parked> peek(int maxRecords) throws IOException {
    ensureUsable();
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, got " + maxRecords);
    }
    try {
      readAhead(maxRecords);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    List<Parked> oldest = new ArrayList<>(Math.min(maxRecords, peeked.size()));
    for (Entry entry : peeked) {
      if (oldest.size() == maxRecords) {
        break;
      }
      oldest.add(entry.parked());
    }
    return Collections.unmodifiableList(oldest);
  }

  /**
   * Consumes every record up to and including {@code offset} and makes that durable: the cursor file is
   * replaced atomically (written to a temporary file, forced, renamed, directory synced), then wholly consumed
   * segments are deleted. An offset that is already committed is ignored.
   *
   * @throws IllegalArgumentException if {@code offset} was not returned by a {@link #peek} since the last commit
   *                                  or open: only records a consumer has seen can be consumed
   */
  public void commit(long offset) throws IOException {
    ensureUsable();
    if (offset < committedOffset) {
      return;
    }
    if (peeked.isEmpty() || offset > peeked.peekLast().parked().offset()) {
      throw new IllegalArgumentException("cannot commit offset " + offset + " in park log [" + dir + "]: "
          + (peeked.isEmpty() ? "nothing uncommitted has been peeked"
              : "only offsets up to " + peeked.peekLast().parked().offset() + " have been peeked"));
    }
    scanDone |= !scanStarted;
    try {
      CursorFile.write(dir, offset + 1);
      while (!peeked.isEmpty() && peeked.peekFirst().parked().offset() <= offset) {
        pendingBytes -= peeked.removeFirst().bytes();
      }
      committedOffset = offset + 1;
      deleteConsumedSegments();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /**
   * Consumes every record up to and including {@code offset}, whether peeked or not, and makes that durable as
   * {@link #commit} does. This is how a journal truncates: its records were handed to the pipeline when they were
   * appended, and nobody peeks at them unless the process restarted. An offset already committed is ignored.
   *
   * @throws IllegalArgumentException if {@code offset} was never appended
   */
  public void commitThrough(long offset) throws IOException {
    ensureUsable();
    if (offset < committedOffset) {
      return;
    }
    if (offset >= nextOffset) {
      throw new IllegalArgumentException("cannot commit offset " + offset + " in park log [" + dir
          + "]: the newest record is " + (nextOffset - 1));
    }

    scanDone |= !scanStarted;
    try {
      CursorFile.write(dir, offset + 1);
      while (committedOffset <= offset) {
        if (!peeked.isEmpty()) {
          pendingBytes -= peeked.removeFirst().bytes();
        } else {
          pendingBytes -= skipAhead();
        }
        committedOffset++;
      }
      deleteConsumedSegments();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /** Moves the read-ahead past one record without keeping it; returns its size on disk. */
  private long skipAhead() throws IOException {
    if (aheadSegment == null || aheadPosition == aheadSegment.size()) {
      aheadSegment = segmentHolding(aheadOffset);
      aheadPosition = 0;
    }
    long bytes;
    if (unread.size() > 0 && aheadOffset == nextOffset - unread.size()) {
      bytes = unread.poll();
    } else {
      readRecord(reader, aheadSegment, aheadPosition, aheadOffset);
      bytes = reader.recordBytes();
    }
    aheadPosition += bytes;
    aheadOffset++;
    return bytes;
  }

  /**
   * The records that were uncommitted at open, at most {@code maxRecords} per call, continuing where the previous
   * call stopped; empty once all are read, which ends the scan for good. Records appended since the open are not
   * scanned. Unlike {@link #peek} nothing is kept in memory: this is how a journal replays a backlog larger than
   * memory after a restart. Records committed meanwhile are skipped, and the segments the scan has yet to read
   * are kept until it has. Scan before the first commit: a commit before any scan ends the scan unread.
   */
  public List<Parked> scan(int maxRecords) throws IOException {
    ensureUsable();
    if (scanDone) {
      return List.of();
    }
    scanStarted = true;
    List<Parked> out = new ArrayList<>(Math.min(maxRecords, 1024));
    try {
      while (out.size() < maxRecords && scanOffset < scanEnd) {
        if (scanSegment == null || scanPosition == scanSegment.size()) {
          scanSegment = segmentHolding(scanOffset);
          scanPosition = 0;
        }
        readRecord(scanReader, scanSegment, scanPosition, scanOffset);
        if (scanOffset >= committedOffset) {
          out.add(new Parked(scanOffset, scanReader.payload()));
        }
        scanPosition += scanReader.recordBytes();
        scanOffset++;
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
    if (out.isEmpty() && scanOffset == scanEnd) {
      scanDone = true;
      scanSegment = null;
    }
    return out;
  }

  /** The offset the next appended record will get. */
  public long nextOffset() {
    return nextOffset;
  }

  /** Records appended and not yet committed. */
  public long pendingRecords() {
    return nextOffset - committedOffset;
  }

  /** On-disk bytes of the records not yet committed, headers included; what {@code maxBytes} bounds. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** Whether every appended record has been committed. */
  public boolean isEmpty() {
    return pendingRecords() == 0;
  }

  /** What {@link #open} found and repaired. */
  public ParkRecovery recovery() {
    return recovery;
  }

  /** Closes the files and releases the directory lock. Idempotent. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    peeked.clear();
    IOException first = null;
    for (Segment segment : segments) {
      try {
        segment.close();
      } catch (IOException e) {
        first = chain(first, e);
      }
    }
    try {
      lockChannel.close();
    } catch (IOException e) {
      first = chain(first, e);
    }
    if (first != null) {
      throw first;
    }
  }

  private void write(List<byte[]> records, boolean force) throws IOException {
    List<Segment> written = new ArrayList<>(2);
    boolean created = false;
    int from = 0;
    while (from < records.size()) {
      Segment active = segments.isEmpty() ? null : segments.get(segments.size() - 1);
      long firstBytes = RecordFormat.recordBytes(records.get(from).length);
      if (active == null || (active.size() > 0 && active.size() + firstBytes > segmentBytes)) {
        if (active != null && !force) {
          // Only the newest segment may hold unforced records, so that force() has one file to sync.
          active.channel().force(false);
          unforced = false;
        }
        active = Segment.create(dir, nextOffset);
        segments.add(active);
        created = true;
      }
      // The run of records that fits in this segment; at least one, since a record never exceeds a segment.
      long room = segmentBytes - active.size();
      long runBytes = 0;
      int to = from;
      while (to < records.size() && runBytes + RecordFormat.recordBytes(records.get(to).length) <= room) {
        runBytes += RecordFormat.recordBytes(records.get(to).length);
        to++;
      }
      ByteBuffer run = ByteBuffer.allocate((int) runBytes);
      for (int i = from; i < to; i++) {
        RecordFormat.encode(records.get(i), run);
        unread.add(RecordFormat.recordBytes(records.get(i).length));
      }
      Durability.writeFully(active.channel(), run.flip(), active.size());
      active.extend(to - from, runBytes);
      written.add(active);
      nextOffset += to - from;
      pendingBytes += runBytes;
      from = to;
    }
    if (force) {
      for (Segment segment : written) {
        segment.channel().force(false);
      }
      unforced = false;
    } else {
      unforced = true;
    }
    if (created) {
      Durability.syncDirectory(dir);
      deleteConsumedSegments();
    }
  }

  private void readAhead(int wanted) throws IOException {
    while (peeked.size() < wanted && aheadOffset < nextOffset) {
      if (aheadSegment == null || aheadPosition == aheadSegment.size()) {
        aheadSegment = segmentHolding(aheadOffset);
        aheadPosition = 0;
      }
      readRecord(reader, aheadSegment, aheadPosition, aheadOffset);
      peeked.addLast(new Entry(new Parked(aheadOffset, reader.payload()), reader.recordBytes()));
      if (unread.size() > 0 && aheadOffset == nextOffset - unread.size()) {
        unread.poll();
      }
      aheadPosition += reader.recordBytes();
      aheadOffset++;
    }
  }

  /** Reads record {@code offset}, at {@code position} of {@code segment}, into {@code reader}; anything else fails. */
  private void readRecord(RecordReader reader, Segment segment, long position, long offset) throws IOException {
    if (reader.read(segment.channel(), position, segment.size(), MAX_PAYLOAD) != RecordReader.Status.RECORD) {
      throw new IOException("park log [" + dir + "]: record " + offset + " in " + segment + " at position " + position
          + " is unreadable (" + reader.problem() + "); reopen to recover");
    }
  }

  private Segment segmentHolding(long offset) {
    for (Segment segment : segments) {
      if (segment.firstOffset <= offset && offset < segment.endOffset()) {
        return segment;
      }
    }
    throw new IllegalStateException("no segment holds offset " + offset + " in park log [" + dir + "]");
  }

  /**
   * Deletes the segments whose records are all committed, except the newest. No directory sync: a deletion that a
   * crash undoes is redone by the next open, since the cursor already covers those records.
   */
  private void deleteConsumedSegments() throws IOException {
    while (segments.size() > 1 && segments.get(0).endOffset() <= committedOffset
        && (!scanStarted || scanDone || segments.get(0).endOffset() <= scanOffset)) {
      Segment consumed = segments.remove(0);
      if (consumed == aheadSegment) {
        aheadSegment = null;
      }
      consumed.delete();
    }
  }

  private void ensureUsable() {
    if (closed) {
      throw new IllegalStateException("park log [" + dir + "] is closed");
    }
    if (failure != null) {
      throw new IllegalStateException("park log [" + dir + "] failed earlier; close and reopen it", failure);
    }
  }

  private static IOException chain(IOException first, IOException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }
}
