/**
 * `acs-metrics export DIR`: saves every metric of the chosen resources, every dimension split, over the
 * window (default the full 93 days Azure keeps) at PT1M or PT1H, as files that replay offline with
 * `--fixture DIR`. Resumable: the manifest fixes the plan at the first run; a later run fetches only
 * what is not done yet. `export --verify DIR` checks every file against its recorded sha256.
 */
import { resolve } from 'node:path';
import { AGGREGATIONS } from '../catalog/aggregations.js';
import { metricByRestName } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { defaultErrors } from '../core/classify.js';
import { humanDuration, parseDuration, toIsoDuration } from '../core/duration.js';
import { type ExportResource, exportItems } from '../core/export-plan.js';
import { floorToMinutes } from '../core/grid.js';
import type { Query } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { resolveWindow } from '../core/window.js';
import { CliError, DataError, EXIT, InterruptedError, Problems, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import { isEmptyFolder, type Manifest, MANIFEST, type ManifestItem, readManifest, verifyExport, writeItem, writeManifest } from '../sources/export-store.js';
import { parseResourceId } from '../sources/azure/resource-id.js';
import { version } from '../version.js';
import type { Context } from './context.js';
import type { Register } from './register.js';
import { addWindowOptions, collectList, currentMetrics, parseMetricNames, parseRange } from './query-options.js';
import { addLiveOptions, estateSettings, type LiveOptions } from './source-options.js';
import { addPartialOption, partialExit, type PartialOptions } from './partial.js';

const DEFAULT_SINCE = '93d';
const GRAINS: Readonly<Record<string, number>> = { PT1M: 60_000, PT1H: 3_600_000 };

interface ExportOptions extends LiveOptions, PartialOptions {
  metric?: string[];
  since?: string;
  start?: string;
  end?: string;
  interval?: string;
  verify?: boolean;
}

export const registerExport: Register = (program, action) => {
  const cmd = program
    .command('export')
    .description('save every metric of a resource, every dimension split, as files that replay offline (resumable)')
    .argument('<dir>', 'the export folder: new or empty, or an export to continue')
    .option('--verify', 'check the files of an export against its manifest (sha256), fetch nothing')
    .option('-m, --metric <names>', 'only these metrics (comma list; default: every current metric)', collectList);
  addWindowOptions(cmd, `the window, counted back from now (default ${DEFAULT_SINCE}: everything Azure keeps)`)
    .option('-i, --interval <grain>', 'PT1M (default: what Azure keeps) or PT1H (60 times smaller)');
  addLiveOptions(cmd);
  addPartialOption(cmd);
  cmd.addHelpText(
    'after',
    `
Run the same command again to continue an interrupted export; the manifest (${MANIFEST}) records
what is done. Exit codes: 0 every file exported (or verified), 2 usage error, 3 no file could be
exported (or --verify found a bad file), 4 partial: some files failed, the others are kept (run again
to retry; --allow-partial makes it 0), 130 interrupted (run again to continue).

Examples:
  acs-metrics export ./acs-telemetry --all-subscriptions
  acs-metrics export ./acs-telemetry --resource "$ACS_RESOURCE_ID" --interval PT1H --since 30d
  acs-metrics export --verify ./acs-telemetry
  acs-metrics query --fixture ./acs-telemetry -m chat --since 7d`,
  );
  cmd.action(action<ExportOptions>(runExportCommand));
};

/** The requests of one item: every dimension split, every aggregation, at the grain, over its window. */
function itemQueries(metric: MetricDef, item: { start: number; end: number }, grainMs: number): Query[] {
  return AGGREGATIONS.map((aggregation) => ({
    metric,
    aggregation,
    filters: [],
    splitBy: [...metric.dimensions],
    interval: { kind: 'fixed', ms: grainMs, iso: toIsoDuration(grainMs) },
    range: { start: item.start, end: item.end },
    errors: defaultErrors(metric),
  }));
}

async function runExportCommand(args: string[], opts: ExportOptions, ctx: Context): Promise<number> {
  const dir = resolve(ctx.io.cwd, args[0]!);
  const shownDir = safeText(args[0]!);
  if (opts.verify) return verify(dir, shownDir, opts, ctx);

  const problems = new Problems();
  const metrics = parseMetricNames(opts.metric, problems) ?? currentMetrics();
  const grainText = (opts.interval ?? 'PT1M').trim().toUpperCase();
  const grainMs = GRAINS[grainText] ?? (grainText === '1M' ? GRAINS.PT1M : grainText === '1H' ? GRAINS.PT1H : undefined);
  if (grainMs === undefined) problems.add(`invalid --interval "${opts.interval}": an export is at PT1M (default) or PT1H`);
  const explicitWindow = opts.since !== undefined || opts.start !== undefined || opts.end !== undefined;
  const range = parseRange({ since: opts.since ?? (opts.start === undefined ? DEFAULT_SINCE : undefined), start: opts.start, end: opts.end }, problems);
  problems.throwIfAny();
  const settings = await estateSettings(opts, ctx);
  if (settings.selection.kind === 'none') {
    throw new UsageError('export needs resources: give --resource ID (repeatable), --subscription S, --all-subscriptions or --resources-from FILE (or set ACS_METRICS_RESOURCE)');
  }
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  const now = ctx.io.now().getTime();
  let manifest = await readManifest(dir);
  if (manifest === undefined) {
    if (!(await isEmptyFolder(dir))) throw new UsageError(`${shownDir} is not empty and holds no acs-metrics export: give a new or empty folder`);
    const window = floorToMinutes(resolveWindow(range, now));
    // The selection is resolved once (Resource Graph for subscriptions); the manifest keeps the list.
    const found = await new EstateSource(settings).resources(ctx.io.signal);
    const resources: ExportResource[] = found.map((r) => ({ ...r.resource, id: `/${r.resource.id}` }));
    const items: ManifestItem[] = exportItems(resources, metrics, window, grainMs!).map((i) => ({ ...i, status: 'pending' }));
    const stamp = formatTime(now);
    manifest = {
      schemaVersion: 1,
      tool: `acs-metrics ${version()}`,
      created: stamp,
      updated: stamp,
      window: { start: formatTime(window.start), end: formatTime(window.end) },
      grain: toIsoDuration(grainMs!),
      resources: resources.map((r) => r.id),
      metrics: metrics.map((m) => m.rest),
      requests: 0,
      items,
    };
    await writeManifest(dir, manifest);
  } else {
    checkSamePlan(manifest, { metrics, grainMs: grainMs!, window: explicitWindow ? floorToMinutes(resolveWindow(range, now)) : undefined }, shownDir);
  }
  return runItems(dir, shownDir, manifest, settings, ctx, opts);
}

/** A later run continues the manifest's plan (its resources too); options that ask for another plan are refused. */
function checkSamePlan(m: Manifest, asked: { metrics: readonly MetricDef[]; grainMs: number; window?: { start: number; end: number } }, shownDir: string): void {
  const differs: string[] = [];
  const metrics = asked.metrics.map((x) => x.rest);
  if (metrics.length !== m.metrics.length || metrics.some((x) => !m.metrics.includes(x))) differs.push(`metrics (${m.metrics.join(', ')})`);
  if (toIsoDuration(asked.grainMs) !== m.grain) differs.push(`interval (${m.grain})`);
  if (asked.window && (formatTime(asked.window.start) !== m.window.start || formatTime(asked.window.end) !== m.window.end)) {
    differs.push(`window (${m.window.start} to ${m.window.end})`);
  }
  if (differs.length > 0) {
    throw new UsageError(`${shownDir} holds an export with other ${differs.join(', ')}: run the same command to continue it, or export to another folder`);
  }
}

/**
 * Resources per fetch: one batch call's worth at PT1H; half of one at PT1M, whose month of minutes is
 * 60 times larger and is held in memory until the step's files are written.
 */
const resourcesPerStep = (grainMs: number): number => (grainMs >= 3_600_000 ? 50 : 25);

/**
 * Fetches what is not done, window by window, in steps of up to 50 resources (one batch call per
 * metric group): each step writes its files, then the manifest.
 */
async function runItems(dir: string, shownDir: string, manifest: Manifest, settings: Awaited<ReturnType<typeof estateSettings>>, ctx: Context, opts: PartialOptions): Promise<number> {
  const total = manifest.items.length;
  const todo = manifest.items.filter((i) => i.status !== 'done');
  if (todo.length === 0) {
    ctx.note(`${shownDir}: the export is complete (${total} files); check it with: acs-metrics export --verify ${shownDir}`);
    return EXIT.OK;
  }
  if (todo.length < total) ctx.note(`${shownDir}: continuing the export: ${total - todo.length} of ${total} files already done`);
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  const grainMs = parseDuration(manifest.grain)!;
  const byKey = new Map(manifest.items.map((i) => [`${i.resource.toLowerCase()}|${i.metric}|${i.start}`, i]));
  // Steps: per window, the pending resources in groups of one subscription, at most 50 each.
  const steps: { start: number; end: number; resources: string[]; metrics: Set<string> }[] = [];
  const windows = [...new Set(todo.map((i) => `${i.start}|${i.end}`))];
  for (const w of windows) {
    const [start, end] = w.split('|').map(Number) as [number, number];
    const inWindow = todo.filter((i) => i.start === start);
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
  const progress = new Progress(ctx, steps.length);
  let interrupted = false;
  try {
    for (const step of steps) {
      if (ctx.io.signal?.aborted) {
        interrupted = true;
        break;
      }
      const source = new EstateSource({ ...settings, selection: { kind: 'ids', ids: step.resources.map((r) => parseResourceId(r)) } });
      const metrics = [...step.metrics].map((m) => metricByRestName(m)!);
      let result;
      try {
        result = await source.fetch(metrics.flatMap((m) => itemQueries(m, step, grainMs)), ctx.io.signal);
      } catch (err) {
        if (err instanceof InterruptedError || ctx.io.signal?.aborted) {
          interrupted = true;
          break;
        }
        if (!(err instanceof CliError) || err.exitCode === EXIT.USAGE) throw err;
        // The whole step failed (every resource): each of its items fails with the reason.
        for (const r of step.resources) for (const m of step.metrics) markFailed(byKey.get(`${r.toLowerCase()}|${m}|${step.start}`), err.problems.join('; '));
        progress.step();
        await writeManifest(dir, manifest);
        continue;
      }
      manifest.requests += result.calls.batch + result.calls.perResource;
      for (const entry of (result.raw[0] as { values: BatchEntry[] }).values) {
        for (const metric of entry.value) {
          const item = byKey.get(`${entry.resourceid.toLowerCase()}|${metric.name.value}|${step.start}`);
          if (!item || item.status === 'done') continue;
          if (typeof metric.errorCode === 'string' && metric.errorCode !== 'Success') {
            markFailed(item, `${metric.errorCode}${metric.errorMessage ? `: ${metric.errorMessage}` : ''}`);
            continue;
          }
          const text = `${JSON.stringify({ values: [{ ...entry, value: [metric] }] }, null, 2)}\n`;
          const written = await writeItem(dir, item, text, ctx.io.signal);
          Object.assign(item, { status: 'done', ...written });
          delete item.error;
        }
      }
      progress.step();
      manifest.updated = formatTime(ctx.io.now().getTime());
      await writeManifest(dir, manifest);
    }
  } finally {
    progress.end();
  }
  const done = manifest.items.filter((i) => i.status === 'done').length;
  if (interrupted) {
    ctx.note(`interrupted: ${done} of ${total} files exported; run the same command again to continue`);
    throw new InterruptedError();
  }
  const failed = manifest.items.filter((i) => i.status === 'failed');
  const bytes = manifest.items.reduce((sum, i) => sum + (i.bytes ?? 0), 0);
  ctx.note(`exported ${done} of ${total} files (${(bytes / 1024 / 1024).toFixed(1)} MiB, ${manifest.requests} requests in all) to ${shownDir}`);
  if (failed.length === 0) return EXIT.OK;
  for (const f of failed.slice(0, 10)) ctx.io.stderr.write(`${ctx.err.red('error:')} ${safeText(f.file)}: ${safeText(f.error ?? '')}\n`);
  if (failed.length > 10) ctx.io.stderr.write(`${ctx.err.red('error:')} ... and ${failed.length - 10} more (see ${MANIFEST})\n`);
  ctx.note('run the same command again to retry what failed');
  // Nothing exported at all is a data error; some files exported is a partial export.
  if (done === 0) return EXIT.DATA;
  return partialExit(ctx, opts, { failed: failed.length, of: total, unit: 'files' });
}

/** An entry of a batch-shaped body as the estate source writes it. */
interface BatchEntry {
  resourceid: string;
  value: { name: { value: string }; errorCode?: string; errorMessage?: string }[];
}

function markFailed(item: ManifestItem | undefined, reason: string): void {
  if (!item || item.status === 'done') return;
  item.status = 'failed';
  item.error = reason;
}

async function verify(dir: string, shownDir: string, opts: ExportOptions, ctx: Context): Promise<number> {
  const others = (['metric', 'since', 'start', 'end', 'interval', 'resource', 'subscription'] as const).filter((k) => opts[k] !== undefined);
  if (others.length > 0) throw new UsageError(`--verify checks an export and fetches nothing: drop --${others[0]}`);
  const manifest = await readManifest(dir);
  if (manifest === undefined) throw new DataError(`${shownDir}: no acs-metrics export here (no ${MANIFEST})`);
  const { matched, problems } = await verifyExport(dir, manifest);
  for (const p of problems.slice(0, 20)) ctx.io.stderr.write(`${ctx.err.red('error:')} ${safeText(p)}\n`);
  if (problems.length > 20) ctx.io.stderr.write(`${ctx.err.red('error:')} ... and ${problems.length - 20} more\n`);
  ctx.io.stdout.write(
    `${problems.length === 0 ? 'OK' : 'FAILED'}: ${matched} of ${manifest.items.length} files match their sha256; ${manifest.resources.length} resource${manifest.resources.length === 1 ? '' : 's'}, ${manifest.metrics.length} metrics, ${manifest.window.start} to ${manifest.window.end} at ${manifest.grain}\n`,
  );
  return problems.length === 0 ? EXIT.OK : EXIT.DATA;
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
