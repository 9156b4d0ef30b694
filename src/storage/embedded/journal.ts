import fs from 'node:fs';
import path from 'node:path';
import { StoreUnavailableError } from '../store';

/** Where a line lies in the file (bytes, without its newline), so it can be read back without keeping it in memory. */
export interface Extent {
  offset: number;
  length: number;
}

/**
 * An append-only file of JSON lines. A write returns only after the line is in the operating
 * system's file cache, so a killed process loses nothing it acknowledged; with `fsync` it also
 * survives power loss. A torn last line (the process died mid-write) is dropped on open.
 */
export class Journal<Entry> {
  private fd: number;
  /** A second descriptor for reading lines back (the first is opened for appending only). */
  private readFd: number;
  private bytes = 0;

  constructor(
    private readonly file: string,
    private readonly fsync: boolean,
    /** The write call; tests pass one that fails like a full disk. */
    private readonly write: (fd: number, text: string) => number = fs.writeSync,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
    this.readFd = fs.openSync(file, 'r');
    this.bytes = fs.fstatSync(this.fd).size;
  }

  get size(): number {
    return this.bytes;
  }

  /** Reads every complete entry in order; truncates a torn tail so later appends stay parseable. */
  replay(apply: (entry: Entry, extent: Extent) => void): void {
    const text = fs.readFileSync(this.file, 'utf8');
    let start = 0;
    let validEnd = 0;
    /** Bytes of the lines read so far; counted line by line, since measuring the prefix each time is quadratic. */
    let offset = 0;
    while (start < text.length) {
      const end = text.indexOf('\n', start);
      if (end === -1) break;
      const line = text.slice(start, end);
      start = end + 1;
      const extent = { offset, length: Buffer.byteLength(line, 'utf8') };
      offset += extent.length + 1;
      if (line.length === 0) continue;
      try {
        apply(JSON.parse(line) as Entry, extent);
        validEnd = offset;
      } catch {
        break;
      }
    }
    if (validEnd < this.bytes) {
      fs.ftruncateSync(this.fd, validEnd);
      this.bytes = validEnd;
    }
  }

  /**
   * Throws StoreUnavailableError when the line cannot be written (disk full, I/O error): the caller
   * then applies nothing, the client gets a 503, and the next write tries again. A partly written
   * line is cut off first, so the journal stays parseable.
   */
  append(entry: Entry): Extent {
    const line = JSON.stringify(entry) + '\n';
    try {
      const written = this.write(this.fd, line);
      if (written !== Buffer.byteLength(line)) throw new Error(`short write: ${written} bytes`);
      if (this.fsync) fs.fsyncSync(this.fd);
      const extent = { offset: this.bytes, length: written - 1 };
      this.bytes += written;
      return extent;
    } catch (error) {
      try {
        fs.ftruncateSync(this.fd, this.bytes);
      } catch {
        // The truncation failed too: replay drops a torn last line anyway.
      }
      throw new StoreUnavailableError(error);
    }
  }

  /** The entry whose line lies at `extent` (from `append`, `replay` or `rewrite`). */
  read(extent: Extent): Entry {
    const buffer = Buffer.allocUnsafe(extent.length);
    try {
      const read = fs.readSync(this.readFd, buffer, 0, extent.length, extent.offset);
      if (read !== extent.length) throw new Error(`short read: ${read} of ${extent.length} bytes`);
      return JSON.parse(buffer.toString('utf8')) as Entry;
    } catch (error) {
      throw new StoreUnavailableError(error);
    }
  }

  /**
   * Replaces the whole file with `entries` (write to a temporary file, fsync, rename), so erased
   * data really leaves the disk instead of lingering in old journal lines. `entries` may still
   * `read` the old file while it is consumed. Returns the new extent of every entry, in order.
   */
  rewrite(entries: Iterable<Entry>): Extent[] {
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    const extents: Extent[] = [];
    let bytes = 0;
    try {
      let chunk = '';
      let chunkBytes = 0;
      for (const entry of entries) {
        const line = JSON.stringify(entry);
        const length = Buffer.byteLength(line, 'utf8');
        extents.push({ offset: bytes + chunkBytes, length });
        chunk += line + '\n';
        chunkBytes += length + 1;
        if (chunkBytes > 1 << 20) {
          bytes += fs.writeSync(fd, chunk);
          chunk = '';
          chunkBytes = 0;
        }
      }
      if (chunk) bytes += fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.closeSync(this.fd);
    fs.closeSync(this.readFd);
    fs.renameSync(tmp, this.file);
    this.fd = fs.openSync(this.file, 'a');
    this.readFd = fs.openSync(this.file, 'r');
    this.bytes = bytes;
    return extents;
  }

  close(): void {
    fs.closeSync(this.fd);
    fs.closeSync(this.readFd);
  }
}
