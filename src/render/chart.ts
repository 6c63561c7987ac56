/**
 * A query result as an ASCII line chart (asciichart): title, plot with y labels, time axis, legend.
 *
 * asciichart 1.5.25 has no gap support (a NaN or an empty series makes it throw or draw garbage), so
 * each series is cut into runs of consecutive non-null points; every run is plotted by asciichart on
 * the same scale and its line cells are laid onto one canvas. A run that starts after a gap begins with
 * ╶ and a run that ends before one is closed with ╴ (the symbols later asciichart versions use for NaN).
 * Colour comes only from the chalk instance, cell by cell, so at level 0 no escape code is written.
 * The y axis starts at zero (request counts), is marked ┼ at zero, and never repeats a label.
 */
import { createRequire } from 'node:module';
import type * as AsciichartNs from 'asciichart';
import type { ChalkInstance } from 'chalk';
import type { QueryResult, ResultSeries } from '../core/model.js';
import { barLines, palette } from './chart-bars.js';
import { CAPTION_SEPARATOR, captionParts, formatFixed, seriesLabel, seriesValues } from './format.js';
import { safeText } from './safe.js';
import { groupSize, maxPerGroup } from './sparkline.js';
import { wrapText } from './text-width.js';

type Asciichart = typeof AsciichartNs;

/** How a series is drawn: its colour (an index into the palette), dotted or not, and its label. */
export interface SeriesLook {
  readonly colour: number;
  readonly dotted: boolean;
  readonly label: string;
}
let asciichart: Asciichart | undefined;

export interface ChartOptions {
  readonly color: ChalkInstance;
  /** Columns of every line, y labels included. */
  readonly width: number;
  /** Rows of the plot itself (the title, time axis and legend come on top). */
  readonly height: number;
  /** Series charted at most (the largest by total); default 8. */
  readonly maxSeries?: number;
  /** Draw each bucket several columns wide when there are fewer buckets than columns; default off. */
  readonly fill?: boolean;
  /**
   * Per series (in the result's order): its colour index, whether it is drawn dotted and dimmed (a
   * comparison's baseline), and its legend label. Default: colour j, solid, the series' label.
   */
  readonly looks?: readonly SeriesLook[];
  /** Caption parts instead of the query's (metric, aggregation, window, filters). */
  readonly title?: readonly string[];
  /** A time-axis label per bucket (weeks, months) instead of round times; drawn where there is room. */
  readonly bucketLabels?: readonly string[];
  /** A bucket whose first column is marked with a dotted vertical line (┊) behind the series. */
  readonly markBucket?: number;
}

export const DEFAULT_MAX_SERIES = 8;
/** The line over a chart of one bucket, whose series are drawn as bars. */
export const ONE_BUCKET = 'one bucket: the value of each series over the window';
const DAY = 86_400_000;
const MINUTE = 60_000;

type Symbols = [string, string, string, string, string, string, string, string, string, string];
/** asciichart's symbol order: first point, axis, gap end, gap start, ─, ╰, ╭, ╮, ╯, │. */
const LINE_STYLES: readonly Symbols[] = [
  ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  ['╋', '┫', '╺', '╸', '━', '┗', '┏', '┓', '┛', '┃'],
  ['╬', '╣', '═', '═', '═', '╚', '╔', '╗', '╝', '║'],
  ['┼', '┤', '╶', '╴', '┄', '└', '┌', '┐', '┘', '┆'],
];
const AXIS = LINE_STYLES[0]!;

interface Cell {
  ch: string;
  owner: number;
}

/** Decimals that keep y labels one step apart distinct (0 for steps of 1 or more; 10 at most). */
export function labelDecimals(step: number): number {
  return step > 0 && Number.isFinite(step) ? Math.min(10, Math.max(0, Math.ceil(-Math.log10(step)))) : 0;
}

/** Lines of at most `width` characters, breaking between caption parts. */
function wrapParts(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + CAPTION_SEPARATOR.length + part.length <= width) {
      lines[lines.length - 1] = last + CAPTION_SEPARATOR + part;
    } else lines.push(part);
  }
  return lines.map((l) => truncate(l, width));
}

const truncate = (text: string, width: number): string => (text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`);

/** The runs [start, end] of consecutive non-null values. */
function runs(values: readonly (number | null)[]): [number, number][] {
  const out: [number, number][] = [];
  values.forEach((v, i) => {
    if (v === null) return;
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  });
  return out;
}

/** Round time steps for axis ticks, smallest first. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160].map((m) => m * MINUTE);

/** A tick's label: the date at midnight ("01-07", "2026-01-07" when the span crosses a year), else the time ("06:00"). */
function tickLabel(ms: number, withYear: boolean): string {
  const iso = new Date(ms).toISOString();
  if (ms % DAY === 0) return withYear ? iso.slice(0, 10) : iso.slice(5, 10);
  return iso.slice(11, 16);
}

/**
 * The time axis (UTC): a rule with ┬ under the columns holding a round time (whole minutes, hours,
 * days: the smallest step that leaves room between labels) and the labels starting at those columns;
 * "UTC" in the gutter under the y labels.
 */
function timeAxis(times: readonly number[], colMs: number | null, gutter: number, width: number, fixed?: [col: number, label: string][]): string[] {
  const first = times[0];
  const last = times[times.length - 1];
  if (first === undefined || last === undefined) return [];
  const withYear = new Date(first).getUTCFullYear() !== new Date(last).getUTCFullYear();
  const room = width - gutter;
  const ticks: [col: number, label: string][] = [];
  if (fixed !== undefined) {
    ticks.push(...fixed);
  } else if (colMs === null || colMs <= 0 || times.length === 1) {
    ticks.push([0, tickLabel(first, withYear)]);
  } else {
    const maxLabel = withYear ? 10 : 5;
    const step = TICK_STEPS.find((st) => st >= colMs && st / colMs >= maxLabel + 2) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
    const end = first + times.length * colMs;
    for (let t = Math.ceil(first / step) * step; t < end; t += step) {
      const col = Math.floor((t - first) / colMs);
      if (col < times.length) ticks.push([col, tickLabel(t, withYear)]);
    }
    // A span without a midnight names its day on the first tick.
    if (ticks.length > 0 && !ticks.some(([, label]) => label.includes('-'))) {
      const [col, label] = ticks[0]!;
      ticks[0] = [col, `${tickLabel(first - (first % DAY), withYear)} ${label}`];
    }
  }
  const rule: string[] = times.map(() => '─');
  let labels = '';
  for (const [col, label] of ticks) {
    if (col < labels.length + (labels === '' ? 0 : 1) || col + label.length > room) continue;
    rule[col] = '┬';
    labels = labels.padEnd(col) + label;
  }
  const pad = ' '.repeat(gutter);
  return [pad + rule.join(''), ('UTC'.padStart(gutter - 1) + ' ' + labels).trimEnd()];
}

/** The smallest y step drawn: 1 / MIN_STEP must stay finite. */
const MIN_STEP = 1e-300;

/** A round step (1, 2 or 5 times a power of ten) of at least `raw`; at least 1 for whole numbers. */
export function niceStep(raw: number, integers: boolean): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((st) => st >= raw * (1 - 1e-12)) ?? 10 * power;
  // Tinier steps underflow (10 ** -324 is 0) or make the scale's rows per unit overflow to Infinity.
  if (!(step >= MIN_STEP)) return integers ? 1 : MIN_STEP;
  return integers ? Math.max(1, step) : step;
}

/** How the j-th charted series looks: its `looks` entry, its colour (dimmed when dotted) and its label. */
function seriesLooks(result: QueryResult, ranked: readonly ResultSeries[], opts: ChartOptions) {
  const c = opts.color;
  const look = (j: number) => {
    const s = ranked[j];
    return opts.looks?.[s === undefined ? j : result.series.indexOf(s)];
  };
  const colors = palette(c);
  const paint = (j: number, text: string): string => {
    if (c.level === 0) return text;
    const l = look(j);
    const painted = colors[(l?.colour ?? j) % colors.length]!(text);
    return l?.dotted ? c.dim(painted) : painted;
  };
  const labelOf = (j: number): string => safeText(look(j)?.label ?? seriesLabel(ranked[j]!, result.query.splitBy));
  return { look, paint, labelOf };
}

/** The largest series by total (at most maxSeries), kept in the result's order. */
function chartedSeries(result: QueryResult, maxSeries: number, notes: string[]): ResultSeries[] {
  const ranked = result.series
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (b.s.total ?? -Infinity) - (a.s.total ?? -Infinity) || a.i - b.i)
    .slice(0, maxSeries)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.s);
  if (result.series.length > ranked.length) {
    notes.push(`${result.series.length - ranked.length} more series not charted; use --top or narrow the query`);
  }
  return ranked;
}

/**
 * The vertical scale: from zero (or the minimum when negative) to the maximum, in round steps (1, 2,
 * 5 x 10^n): as many rows as the data needs, at most the height asked for; a flat line still gets an axis.
 */
function chartScale(known: readonly number[], height: number) {
  const lowest = known.reduce((a, b) => Math.min(a, b), 0);
  const highest = known.reduce((a, b) => Math.max(a, b), 0);
  const step = niceStep((highest - lowest) / (height - 1), known.every(Number.isInteger));
  const min = Math.floor(lowest / step) * step;
  const max = Math.max(Math.ceil(highest / step) * step, min + step);
  const plotHeight = Math.round((max - min) / step);
  // asciichart's own arithmetic (asciichart.js plot()), repeated to know each value's row.
  const ratio = plotHeight / (max - min);
  const min2 = Math.round(min * ratio);
  const rows = Math.abs(Math.round(max * ratio) - min2);
  const rowOf = (v: number): number => rows - (Math.round(v * ratio) - min2);
  const decimals = labelDecimals(step);
  const labels = Array.from({ length: rows + 1 }, (_, k) => formatFixed(max - k * step, decimals));
  const labelWidth = Math.max(3, ...labels.map((l) => l.length));
  return { step, min, max, plotHeight, rowOf, decimals, labelWidth, gutter: labelWidth + 1 };
}

/**
 * The points fitted into the columns right of the gutter (the first point sits on the axis). Too many
 * points: each column is the maximum of a group. Too few: each point is drawn `stretch` columns wide
 * (a step per bucket), so that a day of hourly data still fills the terminal.
 */
function chartColumns(result: QueryResult, raw: readonly (number | null)[][], columns: number, fill: boolean, notes: string[]) {
  const count = result.timestamps.length;
  const group = groupSize(count, columns);
  const stretch = fill && group === 1 && count > 0 ? Math.max(1, Math.floor(columns / count)) : 1;
  const widen = (vs: (number | null)[]): (number | null)[] => vs.flatMap((v) => new Array<number | null>(stretch).fill(v));
  const data = group > 1 ? raw.map((vs) => maxPerGroup(vs, group)) : raw.map(widen);
  const colMs = result.intervalMs === null ? null : group > 1 ? result.intervalMs * group : result.intervalMs / stretch;
  const t0 = result.timestamps[0] ?? 0;
  const times =
    group > 1
      ? result.timestamps.filter((_, i) => i % group === 0)
      : Array.from({ length: count * stretch }, (_, col) => (colMs === null ? t0 : t0 + col * colMs));
  if (group > 1) {
    notes.push(`${result.timestamps.length} points shown in ${times.length} columns: each column is the maximum of ${group} buckets`);
  }
  // The column where a bucket starts.
  const columnOf = (bucket: number): number => (group > 1 ? Math.floor(bucket / group) : bucket * stretch);
  return { data, colMs, times, group, columnOf };
}

/** The line style of the j-th series: its look's, else one per series without colour (they repeat, said in a note). */
function lineStyles(look: (j: number) => SeriesLook | undefined, colorOn: boolean, series: number, notes: string[]): (j: number) => Symbols {
  const useStyles = !colorOn && series > 1;
  if (useStyles && series > LINE_STYLES.length) {
    notes.push(`colour is off: line styles repeat after ${LINE_STYLES.length} series; use --top ${LINE_STYLES.length} to tell them apart`);
  }
  const DOTTED = LINE_STYLES[3]!;
  return (j: number): Symbols => {
    const l = look(j);
    if (l) return l.dotted ? DOTTED : useStyles ? LINE_STYLES[l.colour % (LINE_STYLES.length - 1)]! : AXIS;
    return useStyles ? LINE_STYLES[j % LINE_STYLES.length]! : AXIS;
  };
}

/** The plot area: every series drawn with asciichart onto one canvas of cells, each knowing its series. */
function drawCanvas(
  frame: readonly string[],
  times: readonly number[],
  data: readonly (number | null)[][],
  scale: ReturnType<typeof chartScale>,
  cfg: Parameters<Asciichart['plot']>[1],
  styleOf: (j: number) => Symbols,
): Cell[][] {
  const { rowOf, gutter } = scale;
  // asciichart 1.5.25 marks zero with ┼ at row (0 - min2) counted from the top, i.e. on the top row
  // when the scale starts at zero: the axis column is drawn here instead, ┼ on the zero row.
  const axisChar = (row: number): string => (row === rowOf(0) ? AXIS[0] : AXIS[1]);
  const canvas: Cell[][] = frame.map((_, row) => times.map((_, col) => ({ ch: col === 0 ? axisChar(row) : ' ', owner: -1 })));
  const set = (row: number, col: number, ch: string, owner: number): void => {
    const cell = canvas[row]?.[col];
    if (cell) Object.assign(cell, { ch, owner });
  };
  // Later series overwrite earlier ones, so draw in reverse: the first series ends on top.
  for (let j = data.length - 1; j >= 0; j--) {
    const values = data[j]!;
    const sym = styleOf(j);
    for (const [s, e] of runs(values)) {
      const run = values.slice(s, e + 1) as number[];
      if (run.length > 1) {
        const lines = asciichart!.plot(run, { ...cfg, symbols: sym }).split('\n');
        lines.forEach((line, row) => {
          for (let x = 1; x < run.length; x++) {
            const ch = line.charAt(gutter + x);
            if (ch !== ' ' && ch !== '') set(row, s + x, ch, j);
          }
        });
      }
      set(rowOf(run[0]!), s, s === 0 ? sym[0] : sym[2], j);
      if (e + 1 < values.length) set(rowOf(run[run.length - 1]!), e + 1, sym[3], j);
    }
  }
  return canvas;
}

/** A dotted vertical line (┊) in a column, where no series is drawn. */
function markColumn(canvas: Cell[][], col: number): void {
  for (const line of canvas) {
    const cell = line[col];
    if (cell && cell.owner < 0 && cell.ch === ' ') cell.ch = '┊';
  }
}

export function renderChart(result: QueryResult, opts: ChartOptions): { text: string; notes: string[] } {
  const c = opts.color;
  const width = Math.max(Math.floor(opts.width), 20);
  const height = Math.max(Math.floor(opts.height), 2);
  const notes: string[] = [];
  const title = wrapParts((opts.title ?? captionParts(result)).map(safeText), width);
  const ranked = chartedSeries(result, Math.max(opts.maxSeries ?? DEFAULT_MAX_SERIES, 1), notes);
  const raw = ranked.map((s) => seriesValues(s, result.timestamps).map((v) => (v !== null && Number.isFinite(v) ? v : null)));
  const known = raw.flat().filter((v): v is number => v !== null);
  if (known.length === 0) {
    return { text: `${title.join('\n')}\nNo data to chart.\n`, notes };
  }
  const { look, paint, labelOf } = seriesLooks(result, ranked, opts);
  if (result.timestamps.length === 1) {
    // One bucket: a line needs two points; its value is what there is to show.
    const bars = ranked.map((_, j) => ({ label: labelOf(j), value: raw[j]![0] ?? null, paint: (t: string) => paint(j, t), dotted: look(j)?.dotted ?? false }));
    return { text: `${[...title, truncate(ONE_BUCKET, width), ...barLines(bars, width)].join('\n')}\n`, notes };
  }
  const scale = chartScale(known, height);
  const { data, colMs, times, group, columnOf } = chartColumns(result, raw, Math.max(width - scale.gutter, 2), opts.fill === true, notes);
  asciichart ??= createRequire(import.meta.url)('asciichart') as Asciichart;
  const { step, decimals, labelWidth } = scale;
  const cfg = {
    min: scale.min,
    max: scale.max,
    height: scale.plotHeight,
    offset: 3,
    format: (x: number) => formatFixed(Math.round(x / step) * step, decimals).padStart(labelWidth),
  };
  const frame = asciichart.plot([], { ...cfg, symbols: AXIS }).split('\n');
  const styleOf = lineStyles(look, c.level > 0, data.length, notes);
  const canvas = drawCanvas(frame, times, data, scale, cfg, styleOf);
  if (opts.markBucket !== undefined) markColumn(canvas, columnOf(opts.markBucket));
  const gutter = scale.gutter;
  const plot = frame.map((line, row) =>
    (line.slice(0, gutter) + canvas[row]!.map((cell) => (cell.owner >= 0 ? paint(cell.owner, cell.ch) : cell.ch)).join('')).trimEnd(),
  );
  // A long label wraps under itself: what tells series apart is often at its end.
  const legend = ranked.flatMap((_series, j) => {
    const sample = paint(j, styleOf(j)[4].repeat(2));
    return wrapText(labelOf(j), width - 3).map((line, k) => `${k === 0 ? sample : '  '} ${line}`);
  });
  const fixedTicks = opts.bucketLabels?.flatMap((label, i): [number, string][] => (group > 1 && i % group !== 0 ? [] : [[columnOf(i), label]]));
  const axis = timeAxis(times, colMs, gutter, width, fixedTicks);
  return { text: `${[...title, ...plot, ...axis, ...legend].join('\n')}\n`, notes };
}
