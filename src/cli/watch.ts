/**
 * `query --watch`: redraws a frame in place on a terminal. The alternate screen is entered once and
 * left on every way out (the end, an error, Ctrl-C); each frame homes the cursor, overwrites the lines
 * (each cleared to its end) and clears below, so the screen never flashes blank. A resize redraws at
 * once with the new width. Each refresh builds its frame anew: nothing accumulates between refreshes.
 */
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export const DEFAULT_WATCH_MS = 60_000;
export const MIN_WATCH_MS = 5_000;

const ENTER = '\u001b[?1049h\u001b[?25l';
const LEAVE = '\u001b[?25h\u001b[?1049l';
const HOME = '\u001b[H';
const CLEAR_LINE = '\u001b[K';
const CLEAR_BELOW = '\u001b[J';

/** --watch [INTERVAL]: true (no value) is the default interval. */
export function parseWatch(value: string | boolean | undefined): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_WATCH_MS;
  const ms = parseDuration(value);
  if (ms === undefined || ms < MIN_WATCH_MS)
    throw new UsageError(`invalid --watch "${value}": expected a refresh interval of 5s or more, such as 30s, 1m or 5m`);
  return ms;
}

export interface Frame {
  readonly text: string;
  /** The start of the latest bucket that is complete at refresh time, if any. */
  readonly latestComplete: number | undefined;
}

export interface WatchStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

const iso = (ms: number, chars: number): string => `${new Date(ms).toISOString().slice(0, chars)}Z`;

/** One screen: the status line, then the frame, each line cleared to its end, cut to the terminal's rows. */
export function screen(frame: Frame, intervalMs: number, now: number, rows: number | undefined): string {
  const status = `every ${Math.round(intervalMs / 1000)}s · refreshed ${iso(now, 19)} · latest complete bucket ${frame.latestComplete === undefined ? '-' : iso(frame.latestComplete, 16)} · Ctrl-C to stop`;
  let lines = [status, '', ...frame.text.replace(/\n$/, '').split('\n')];
  if (rows !== undefined && rows > 0) lines = lines.slice(0, rows);
  return `${HOME}${lines.map((l) => `${l}${CLEAR_LINE}`).join('\n')}${CLEAR_BELOW}`;
}

/** Refreshes until the signal aborts (Ctrl-C); the terminal is restored however it ends. */
export async function watch(io: Io, intervalMs: number, render: () => Promise<Frame>): Promise<void> {
  const out = io.stdout as WatchStream;
  if (!out.isTTY) throw new UsageError('--watch redraws a terminal, and stdout is not one: run it in a terminal, or drop --watch to print once');
  out.write(ENTER);
  let wake: (() => void) | undefined;
  const poke = (): void => wake?.();
  out.on?.('resize', poke);
  io.signal?.addEventListener('abort', poke);
  try {
    while (!io.signal?.aborted) {
      const frame = await render();
      if (io.signal?.aborted) break;
      out.write(screen(frame, intervalMs, io.now().getTime(), out.rows));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    out.off?.('resize', poke);
    io.signal?.removeEventListener('abort', poke);
    out.write(LEAVE);
  }
}
