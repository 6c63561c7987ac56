/**
 * Data kept aside while it streams past, to be read back only if it is needed whole after all (status
 * over an estate: the report is reduced resource by resource, and in the rare case where that cannot
 * be exact it is built from every answer, without asking Azure again). Each handed-on part is one JSON
 * line in a file of a private temporary folder, so memory stays flat; where no file can be written
 * (no temporary folder, a full disk) the parts are kept in memory instead. close() removes the folder.
 *
 * A part goes through JSON as a saved answer does: a columnar series is written as its points.
 */
import { createReadStream, closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { MetricData } from '../core/model.js';

/** A resource's part: its place in the selection, the part's number, its data. */
type Kept = readonly [index: number, part: number, metrics: readonly MetricData[]];

export class DataSpool {
  private dir: string | undefined;
  private file: string | undefined;
  private fd: number | undefined;
  /** Bytes of the file's whole lines (a failed write may leave part of one after them). */
  private written = 0;
  private readonly memory: Kept[] = [];

  /** `root`: where the temporary folder goes (default the system's). */
  constructor(root = tmpdir()) {
    try {
      this.dir = mkdtempSync(join(root, 'acs-metrics-'));
      this.file = join(this.dir, 'parts.jsonl');
      this.fd = openSync(this.file, 'wx', 0o600);
    } catch {
      this.close();
    }
  }

  /** Keeps a part aside. */
  add(index: number, part: number, metrics: readonly MetricData[]): void {
    const kept: Kept = [index, part, metrics];
    if (this.fd !== undefined) {
      try {
        const line = Buffer.from(`${JSON.stringify(kept)}\n`);
        for (let at = 0; at < line.length;) at += writeSync(this.fd, line, at);
        this.written += line.length;
        return;
      } catch {
        // Whatever part of the line was written is not read; this part and the next are kept in memory.
        this.stopWriting();
      }
    }
    this.memory.push(kept);
  }

  /** The data kept (all, or what `wanted` keeps), in the data's order: resource by resource (the selection's order), part by part. */
  async read(wanted: (m: MetricData) => boolean = () => true): Promise<MetricData[]> {
    this.stopWriting();
    const all: Kept[] = [];
    if (this.file !== undefined && this.written > 0) {
      const input = createReadStream(this.file, { encoding: 'utf8', end: this.written - 1 });
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        const [index, part, metrics] = JSON.parse(line) as Kept;
        all.push([index, part, metrics.filter(wanted)]);
      }
    }
    all.push(...this.memory.map(([index, part, metrics]): Kept => [index, part, metrics.filter(wanted)]));
    all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return all.flatMap((k) => k[2]);
  }

  private stopWriting(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // Closed anyway.
    }
    this.fd = undefined;
  }

  /** Removes the file and its folder. */
  close(): void {
    this.stopWriting();
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.file = undefined;
  }
}
