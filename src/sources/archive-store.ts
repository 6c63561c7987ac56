/**
 * Where an export or archive lives: a local folder (local-store.ts) or a Blob Storage / ADLS Gen2
 * location (blob-store.ts, loaded only for an https URL, with the Azure Storage SDK). The export and
 * `--fixture` see files by "/"-separated names relative to the archive, through this interface only:
 * list, read, write (atomically: a file appears whole or not at all), remove, and one run's lock.
 */
import type { LockOptions } from './export-lock.js';

export interface ArchiveStore {
  /** The location as the user gave it, for messages. */
  readonly shown: string;
  /** The location as a "/"-separated path (Hive partitions in it count too). */
  readonly location: string;
  /** How a file of the archive is named in messages. */
  name(file: string): string;
  /** A file's bytes; undefined when it does not exist. Other failures throw. */
  read(file: string, signal?: AbortSignal): Promise<Uint8Array | undefined>;
  /** Writes a file whole, atomically (folders made as needed). */
  write(file: string, data: string | Uint8Array, signal?: AbortSignal): Promise<void>;
  /** Removes a file; a missing one is no error. */
  remove(file: string): Promise<void>;
  /** Every file, "/"-separated and sorted; names starting with "." (at any level) left out. */
  list(signal?: AbortSignal): Promise<string[]>;
  /** Whether the location is missing or empty (a lock left by a killed first run does not count). */
  isEmpty(): Promise<boolean>;
  /** Makes the location ready for writing (a folder made; a container checked). */
  prepare(): Promise<void>;
  /** Takes the one-run lock; returns its release. */
  lock(options: LockOptions): Promise<() => Promise<void>>;
  /**
   * Removes temp files of the named files (folder -> names) that a killed run left; returns how many.
   * (Blob Storage has none: an upload not committed is never a blob.)
   */
  removeStaleTemps(ours: ReadonlyMap<string, ReadonlySet<string>>, alive: (pid: number) => boolean): Promise<number>;
}
