/**
 * The fetching part of `acs-metrics export`: the pending items of the manifest, request by request,
 * in steps of up to 50 resources (one batch call per metric group). Each step writes its files, then
 * the manifest (an old tail leaves it in the same write as the files that replace it), then removes
 * the files it no longer lists.
 */
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { metricByRestName } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { defaultErrors } from '../core/classify.js';
import { humanDuration, parseDuration, toIsoDuration } from '../core/duration.js';
import { toColumns } from '../core/archive-rows.js';
import { type BatchEntry, type BatchMetric, itemBody } from '../core/export-split.js';
import type { Window } from '../core/window.js';
import { version } from '../version.js';
import type { Query } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { CliError, EXIT, InterruptedError } from '../errors.js';
import type { ArchiveStore } from '../sources/archive-store.js';
import { type Manifest, type ManifestItem, removeObsolete, writeItem, writeManifest } from '../sources/export-store.js';
import { parseResourceId } from '../sources/azure/resource-id.js';
import type { Context } from './context.js';
import type { estateSettings } from './source-options.js';

type Settings = Awaited<ReturnType<typeof estateSettings>>;

/** The requests of one step: every dimension split, every aggregation, at the grain, over its window. */
function itemQueries(metric: MetricDef, w: { start: number; end: number }, grainMs: number): Query[] {
  return AGGREGATIONS.map((aggregation) => ({
    metric,
    aggregation,
    filters: [],
    splitBy: [...metric.dimensions],
    interval: { kind: 'fixed', ms: grainMs, iso: toIsoDuration(grainMs) },
    range: { start: w.start, end: w.end },
    errors: defaultErrors(metric),
  }));
}

/**
 * Resources per fetch: one batch call's worth at PT1H; half of one at PT1M, whose month of minutes is
 * 60 times larger and is held in memory until the step's files are written.
 */
const resourcesPerStep = (grainMs: number): number => (grainMs >= 3_600_000 ? 50 : 25);

export interface Step {
  readonly start: number;
  readonly end: number;
  readonly resources: string[];
  readonly metrics: Set<string>;
}

const keyOf = (resource: string, metric: string, fetchStart: number): string => `${resource.toLowerCase()}|${metric}|${fetchStart}`;

/** Per request window, the pending resources in groups of one subscription, at most 25 or 50 each. */
export function planSteps(todo: readonly ManifestItem[], grainMs: number): Step[] {
  const steps: Step[] = [];
  const windows = [...new Set(todo.map((i) => `${i.fetch.start}|${i.fetch.end}`))];
  for (const w of windows) {
    const [start, end] = w.split('|').map(Number) as [number, number];
    const inWindow = todo.filter((i) => i.fetch.start === start && i.fetch.end === end);
    const bySub = new Map<string, string[]>();
    for (const r of [...new Set(inWindow.map((i) => i.resource))]) {
      const sub = r.split('/')[2]!.toLowerCase();
      bySub.set(sub, [...(bySub.get(sub) ?? []), r]);
    }
    for (const ids of bySub.values()) {
      for (let k = 0; k < ids.length; k += resourcesPerStep(grainMs)) {
        const chunk = ids.slice(k, k + resourcesPerStep(grainMs));
        steps.push({ start, end, resources: chunk, metrics: new Set(inWindow.filter((i) => chunk.includes(i.resource)).map((i) => i.metric)) });
      }
    }
  }
  return steps;
}

/** The queries of a step: every item query of its metrics over its window. */
export const stepQueries = (step: Step, grainMs: number): Query[] => [...step.metrics].flatMap((m) => itemQueries(metricByRestName(m)!, step, grainMs));

export interface RunOutcome {
  /** Items written and failed by this run. */
  written: number;
  failed: number;
}

/** Fetches the manifest's items that are not done; throws InterruptedError after saving what is done. */
export async function runPending(dir: ArchiveStore, manifest: Manifest, settings: Settings, ctx: Context, outcome: RunOutcome): Promise<void> {
  const todo = manifest.items.filter((i) => i.status !== 'done');
  if (todo.length === 0) return;
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  const grainMs = parseDuration(manifest.grain)!;
  const byKey = new Map<string, ManifestItem[]>();
  for (const i of todo) byKey.set(keyOf(i.resource, i.metric, i.fetch.start), [...(byKey.get(keyOf(i.resource, i.metric, i.fetch.start)) ?? []), i]);
  const steps = planSteps(todo, grainMs);
  const progress = new Progress(ctx, steps.length);
  try {
    for (const step of steps) {
      if (ctx.io.signal?.aborted) throw new InterruptedError();
      const source = new EstateSource({ ...settings, selection: { kind: 'ids', ids: step.resources.map((r) => parseResourceId(r)) } });
      let result;
      try {
        result = await source.fetch(stepQueries(step, grainMs), ctx.io.signal);
      } catch (err) {
        if (err instanceof InterruptedError || ctx.io.signal?.aborted) throw new InterruptedError();
        if (!(err instanceof CliError) || err.exitCode === EXIT.USAGE) throw err;
        // The whole step failed (every resource): each of its items fails with the reason.
        for (const r of step.resources) for (const m of step.metrics) outcome.failed += markFailed(byKey.get(keyOf(r, m, step.start)), err.problems.join('; '));
        progress.step();
        await writeManifest(dir, manifest);
        continue;
      }
      manifest.requests += result.calls.batch + result.calls.perResource;
      for (const entry of (result.raw[0] as { values: BatchEntry[] }).values) {
        for (const metric of entry.value) {
          const items = (byKey.get(keyOf(entry.resourceid, metric.name.value, step.start)) ?? []).filter((i) => i.status !== 'done');
          if (typeof metric.errorCode === 'string' && metric.errorCode !== 'Success') {
            outcome.failed += markFailed(items, `${metric.errorCode}${metric.errorMessage ? `: ${metric.errorMessage}` : ''}`);
            continue;
          }
          for (const item of items) {
            const written = await writeItem(dir, item, await encodeItem(manifest, entry, metric, item, step), ctx.io.signal);
            Object.assign(item, { status: 'done', ...written });
            delete item.error;
            outcome.written++;
          }
        }
      }
      retireReplacedTails(manifest);
      progress.step();
      manifest.updated = formatTime(ctx.io.now().getTime());
      await writeManifest(dir, manifest);
      await removeObsolete(dir, manifest);
    }
  } finally {
    progress.end();
  }
}

/** An item's file: the response cut to its window, as a Metrics body or as Parquet rows. */
export async function encodeItem(
  manifest: Manifest,
  entry: BatchEntry,
  metric: BatchMetric,
  item: ManifestItem,
  fetched: Window,
): Promise<string | Uint8Array> {
  if (manifest.format !== 'parquet') return itemBody(entry, metric, item, item.start === fetched.start && item.end === fetched.end);
  const { encodeParquet } = await import('../sources/parquet-archive.js');
  const r = parseResourceId(item.resource);
  const resource = { id: item.resource, subscription: r.subscription, resourceGroup: r.resourceGroup, name: r.name };
  const interval = typeof entry.interval === 'string' ? entry.interval : manifest.grain;
  const columns = toColumns(metricByRestName(item.metric)!, metric, resource, interval, item);
  return encodeParquet(columns, { resource: item.resource, start: formatTime(item.start), end: formatTime(item.end), interval }, `acs-metrics ${version()}`);
}

/**
 * Old tails whose replacements are all written leave the manifest (their files become obsolete), in
 * the same manifest write as those replacements: a reader never sees both.
 */
function retireReplacedTails(manifest: Manifest): void {
  const replaced = new Set(manifest.items.flatMap((i) => i.replaces ?? []));
  for (const file of replaced) {
    const by = manifest.items.filter((i) => i.replaces?.includes(file));
    if (by.some((i) => i.status !== 'done')) continue;
    manifest.items = manifest.items.filter((i) => i.file !== file);
    manifest.obsolete = [...(manifest.obsolete ?? []), file];
  }
  const present = new Set(manifest.items.map((i) => i.file));
  for (const i of manifest.items) if (i.replaces !== undefined && !i.replaces.some((f) => present.has(f))) delete i.replaces;
}

function markFailed(items: readonly ManifestItem[] | undefined, reason: string): number {
  let n = 0;
  for (const item of items ?? []) {
    if (item.status === 'done') continue;
    item.status = 'failed';
    item.error = reason;
    n++;
  }
  return n;
}

/** Requests done, left, rate and ETA on one stderr line, redrawn in place; only on a terminal. */
class Progress {
  private done = 0;
  private readonly started = Date.now();
  private readonly on: boolean;
  constructor(
    private readonly ctx: Context,
    private readonly total: number,
  ) {
    this.on = ctx.io.stderr.isTTY === true;
  }
  step(): void {
    this.done++;
    if (!this.on) return;
    const secs = (Date.now() - this.started) / 1000;
    const rate = secs > 0 ? this.done / secs : 0;
    const eta = rate > 0 ? humanDuration(((this.total - this.done) / rate) * 1000) : '?';
    this.ctx.io.stderr.write(`\r\u001b[2Kexport: ${this.done}/${this.total} steps, ${this.total - this.done} left, ${rate.toFixed(1)}/s, ETA ${eta}`);
  }
  end(): void {
    if (this.on && this.done > 0) this.ctx.io.stderr.write('\n');
  }
}
