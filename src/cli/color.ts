import { Chalk, type ChalkInstance } from 'chalk';
import type { Io, OutStream } from './io.js';

export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Whether to colour a stream: --no-color and NO_COLOR (any non-empty value) turn colour off,
 * FORCE_COLOR turns it on (0/false off, 1/true/empty basic, 2 256 colours, 3 truecolor), otherwise
 * colour only when the stream is a terminal that is not "dumb".
 */
export function colorLevel(stream: OutStream, env: Io['env'], flag: boolean | undefined): ColorLevel {
  if (flag === false) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    const v = force.trim().toLowerCase();
    if (v === '0' || v === 'false') return 0;
    if (v === '2') return 2;
    if (v === '3') return 3;
    return 1;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

export function makeChalk(stream: OutStream, env: Io['env'], flag: boolean | undefined): ChalkInstance {
  return new Chalk({ level: colorLevel(stream, env, flag) });
}
