/**
 * A chart of one bucket (`-i FULL`, or a window of one bucket): a line needs two points, and one point
 * drawn as a flat line rounded to a grid row hides the value. Each series is a bar scaled to the
 * largest, with its exact value beside it.
 */
import type { ChalkInstance } from 'chalk';
import { formatNumber } from './format.js';
import { displayWidth, truncateText } from './text-width.js';

/** The series colours, in order (also the line chart's). */
export const palette = (c: ChalkInstance): ((s: string) => string)[] => [c.cyan, c.magenta, c.yellow, c.green, c.blue, c.red, c.cyanBright, c.magentaBright];

export interface Bar {
  readonly label: string;
  readonly value: number | null;
  /** Colours the bar (identity without colour). */
  readonly paint: (text: string) => string;
  /** A comparison's baseline: drawn light (░) rather than solid (█). */
  readonly dotted: boolean;
}

/** The widest a label column gets, so that the bars keep room. */
const LABEL_SHARE = 0.4;

/** Lines of at most `width` columns: `label  ████████ 1,234` per series. */
export function barLines(bars: readonly Bar[], width: number): string[] {
  const values = bars.map((b) => formatNumber(b.value));
  const valueWidth = Math.max(...values.map((v) => v.length));
  const labelWidth = Math.min(Math.max(...bars.map((b) => displayWidth(b.label))), Math.max(Math.floor(width * LABEL_SHARE), 8));
  const room = Math.max(width - labelWidth - valueWidth - 3, 1);
  const largest = bars.reduce((m, b) => Math.max(m, b.value ?? 0), 0);
  return bars.map((b, i) => {
    const v = b.value ?? 0;
    const length = largest > 0 && v > 0 ? Math.max(1, Math.round((v / largest) * room)) : 0;
    const label = truncateText(b.label, labelWidth);
    const bar = b.paint((b.dotted ? '░' : '█').repeat(length));
    return `${label}${' '.repeat(labelWidth - displayWidth(label))}  ${bar}${' '.repeat(room - length)} ${values[i]!.padStart(valueWidth)}`;
  });
}
