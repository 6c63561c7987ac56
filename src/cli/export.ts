/**
 * `acs-metrics export DIR`: saves every metric of the chosen resources, every dimension split, over the
 * window (default the full 93 days Azure keeps) at PT1M or PT1H, as files that replay offline with
 * `--fixture DIR`. Running it again keeps the archive current: it continues an interrupted run, then
 * fetches only what came since the last one (the last 3 hours again: see export-plan.ts), adding
 * resources and metrics that joined. One run at a time (export-lock.ts). `export --verify DIR` checks
 * every file against its recorded sha256.
 */
import { metricByRestName } from '../catalog/resolve.js';
import type { MetricDef } from '../catalog/types.js';
import { humanDuration, parseDuration, toIsoDuration } from '../core/duration.js';
import { type ExportFormat, type ExportResource, planExtension, RETENTION_MS, TAIL_MS } from '../core/export-plan.js';
import { floorMinute, floorToMinutes } from '../core/grid.js';
import { formatTime } from '../core/time.js';
import { resolveWindow, type Window } from '../core/window.js';
import { DataError, EXIT, InterruptedError, Problems, UsageError } from '../errors.js';
import { safeText } from '../render/safe.js';
import type { ArchiveStore } from '../sources/archive-store.js';
import { openArchiveStore } from '../sources/open-store.js';
import { processAlive } from '../sources/export-lock.js';
import {
  type Manifest,
  MANIFEST,
  type ManifestGap,
  type ManifestItem,
  readManifest,
  removeObsolete,
  removeStaleTemps,
  verifyExport,
  writeManifest,
} from '../sources/export-store.js';
import { parseResourceId } from '../sources/azure/resource-id.js';
import { version } from '../version.js';
import type { Context } from './context.js';
import { type RunOutcome, runPending } from './export-run.js';
import type { Register } from './register.js';
import { addWindowOptions, collectList, currentMetrics, parseMetricNames, parseRange } from './query-options.js';
import { addLiveOptions, estateSettings, type LiveOptions } from './source-options.js';
import { addPartialOption, partialExit, type PartialOptions } from './partial.js';
import { addDryRunOption } from './dry-run.js';
import { planExport } from './export-dry-run.js';
import { METRIC_ALIASES, offer } from './option-values.js';

const DEFAULT_SINCE = '93d';
const GRAINS: Readonly<Record<string, number>> = { PT1M: 60_000, PT1H: 3_600_000 };

interface ExportOptions extends LiveOptions, PartialOptions {
  metric?: string[];
  since?: string;
  start?: string;
  end?: string;
  interval?: string;
  verify?: boolean;
  format?: string;
  from?: string;
  output?: string;
}

export const registerExport: Register = (program, action) => {
  const cmd = program
    .command('export')
    .description('save every metric of a resource, every dimension split, as files that replay offline (resumable)')
    .argument('<dir>', 'the export folder: new or empty, or an export to continue')
    .option('--verify', 'check the files of an export against its manifest (sha256), fetch nothing')
    .option('--format <format>', 'json (Azure Monitor response bodies, the default) or parquet (one table, Hive partitions by metric and month)')
    .option('--from <dir>', 'with --format parquet: convert this json export into <dir>, fetching nothing')
    .option('-m, --metric <names>', 'only these metrics (comma list; default: every current metric)', collectList);
  addWindowOptions(cmd, `the window, counted back from now (default ${DEFAULT_SINCE}: everything Azure keeps)`).option(
    '-i, --interval <grain>',
    'PT1M (default: what Azure keeps) or PT1H (60 times smaller)',
  );
  addLiveOptions(cmd);
  addDryRunOption(cmd).option('-o, --output <format>', 'with --dry-run: text (default) or json');
  addPartialOption(cmd);
  offer(cmd, '--metric', [...METRIC_ALIASES, 'all']);
  offer(cmd, '--interval', Object.keys(GRAINS));
  offer(cmd, '--format', ['json', 'parquet']);
  cmd.addHelpText(
    'after',
    `
Run the same command again (or just \`export DIR\`) to continue an interrupted export and to extend
it up to now: only the minutes since the last run are fetched, and the last 3 hours again (Azure
fills them in late). The manifest (${MANIFEST}) records what is done.
Exit codes: 0 every file exported (or verified), 2 usage error, 3 nothing could be fetched, 4
partial: some files failed (the others are kept; run again to retry) or a span was lost (not run
within 93 days); --allow-partial makes it 0, 130 interrupted (run again to continue).

Examples:
  acs-metrics export ./acs-telemetry --all-subscriptions
  acs-metrics export ./acs-telemetry --resource "$ACS_RESOURCE_ID" --interval PT1H --since 30d
  acs-metrics export ./acs-telemetry                 # later, daily: only what came since
  acs-metrics export --verify ./acs-telemetry
  acs-metrics export ./acs-telemetry --all-subscriptions --dry-run   (the requests, and the quotas)
  acs-metrics export ./acs-archive --format parquet --from ./acs-telemetry
  acs-metrics query --fixture ./acs-telemetry -m chat --since 7d`,
  );
  cmd.action(action<ExportOptions>(runExportCommand));
};

async function runExportCommand(args: string[], opts: ExportOptions, ctx: Context): Promise<number> {
  if (args[0]!.trim() === '') throw new UsageError('the folder name is empty: give one, e.g. acs-metrics export ./acs-telemetry');
  const dir = await openArchiveStore(args[0]!, ctx.io.cwd, ctx.io.env);
  const shownDir = dir.shown;
  if (opts.verify) return verify(dir, shownDir, opts, ctx);
  const format = opts.format?.trim().toLowerCase();
  if (format !== undefined && format !== 'json' && format !== 'parquet') throw new UsageError(`invalid --format "${opts.format}": json or parquet`);
  if (opts.from !== undefined) {
    if (format !== 'parquet') throw new UsageError('--from converts a json export to Parquet: add --format parquet');
    const others = (['metric', 'since', 'start', 'end', 'interval', 'resource', 'subscription'] as const).filter((k) => opts[k] !== undefined);
    if (others.length > 0) throw new UsageError(`--from converts an export as it is: drop --${others[0]}`);
    const { convertExport } = await import('./export-convert.js');
    return convertExport(dir, shownDir, opts.from, ctx);
  }

  const { askedMetrics, grainMs, range } = readRunOptions(opts);
  const settings = await estateSettings(opts, ctx);
  const now = ctx.io.now().getTime();
  const window = floorToMinutes(resolveWindow(range, now));
  let manifest = await readManifest(dir);
  await checkFolder(dir, manifest, { format, grainMs, hasSelection: settings.selection.kind !== 'none', interval: opts.interval });
  const fresh = (): Manifest => newManifest(window, grainMs, now, format === 'parquet' ? 'parquet' : 'json');
  const request: ExtendRequest = {
    settings,
    metrics: askedMetrics,
    end: opts.end !== undefined ? Math.min(window.end, floorMinute(now)) : floorMinute(now),
    now,
    askedStart: opts.since !== undefined || opts.start !== undefined ? window.start : undefined,
  };
  if (opts.dryRun) return dryRunExport(dir, manifest ?? fresh(), request, opts, ctx);
  await dir.prepare();
  const release = await dir.lock({
    now: ctx.io.now(),
    signal: ctx.io.signal,
    onStale: (o) => ctx.note(`${shownDir}: took over the lock of a run that is gone (${o})`),
  });
  try {
    manifest ??= await readManifest(dir); // another run may have made it while this one waited
    if (manifest === undefined) manifest = fresh();
    else await tidy(dir, shownDir, manifest, ctx);
    const outcome: RunOutcome = { written: 0, failed: 0 };
    const before = manifest.items.filter((i) => i.status === 'done').length;
    if (before < manifest.items.length) ctx.note(`${shownDir}: continuing the export: ${before} of ${manifest.items.length} files already done`);
    try {
      await runPending(dir, manifest, settings, ctx, outcome);
      const gaps = await extend(dir, shownDir, manifest, request, ctx);
      await runPending(dir, manifest, settings, ctx, outcome);
      if (manifest.format === 'parquet') {
        const { compactMonths } = await import('./export-compact.js');
        await compactMonths(dir, manifest, ctx.io.signal);
      }
      return summary(shownDir, manifest, outcome, gaps, ctx, opts);
    } catch (err) {
      if (!(err instanceof InterruptedError)) throw err;
      const done = manifest.items.filter((i) => i.status === 'done').length;
      ctx.note(`interrupted: ${done} of ${manifest.items.length} files exported; run the same command again to continue`);
      throw err;
    }
  } finally {
    await release();
  }
}

/** The run's own options (not the folder's): metrics, grain, window, and -o only with --dry-run. */
function readRunOptions(opts: ExportOptions): { askedMetrics: MetricDef[] | undefined; grainMs: number; range: ReturnType<typeof parseRange> } {
  const problems = new Problems();
  const askedMetrics = parseMetricNames(opts.metric, problems);
  const grainText = (opts.interval ?? 'PT1M').trim().toUpperCase();
  const grainMs = GRAINS[grainText] ?? (grainText === '1M' ? GRAINS.PT1M : grainText === '1H' ? GRAINS.PT1H : undefined);
  if (grainMs === undefined) problems.add(`invalid --interval "${opts.interval}": an export is at PT1M (default) or PT1H`);
  if (opts.output !== undefined && !opts.dryRun) problems.add('-o/--output goes with --dry-run (an export writes files, not stdout)');
  else if (opts.output !== undefined && !['text', 'json'].includes(opts.output.toLowerCase()))
    problems.add(`invalid --output "${opts.output}": expected text or json`);
  const range = parseRange({ since: opts.since ?? (opts.start === undefined ? DEFAULT_SINCE : undefined), start: opts.start, end: opts.end }, problems);
  problems.throwIfAny();
  return { askedMetrics, grainMs: grainMs!, range };
}

/** The folder must be new, empty, or an export of the same format and grain; a new one needs resources. */
async function checkFolder(
  dir: ArchiveStore,
  manifest: Manifest | undefined,
  run: { format: string | undefined; grainMs: number; hasSelection: boolean; interval: string | undefined },
): Promise<void> {
  const shownDir = dir.shown;
  if (manifest === undefined && !run.hasSelection) {
    throw new UsageError(
      'export needs resources: give --resource ID (repeatable), --subscription S, --all-subscriptions or --resources-from FILE (or set ACS_METRICS_RESOURCE)',
    );
  }
  if (manifest === undefined && !(await dir.isEmpty()))
    throw new UsageError(`${shownDir} is not empty and holds no acs-metrics export: give a new or empty folder`);
  if (manifest !== undefined && run.format !== undefined && run.format !== (manifest.format ?? 'json')) {
    throw new UsageError(
      `${shownDir} holds a ${manifest.format ?? 'json'} export, not ${run.format}: convert it to another folder with --format parquet --from ${shownDir}`,
    );
  }
  if (manifest !== undefined && run.interval !== undefined && toIsoDuration(run.grainMs) !== manifest.grain) {
    throw new UsageError(
      `${shownDir} holds an export at ${manifest.grain}, not ${toIsoDuration(run.grainMs)}: run it without --interval to extend it, or export to another folder`,
    );
  }
}

/** --dry-run: the plan of this run on a copy of the manifest; nothing is written, locked or fetched. */
async function dryRunExport(dir: ArchiveStore, manifest: Manifest, request: ExtendRequest, opts: ExportOptions, ctx: Context): Promise<number> {
  const draft = structuredClone(manifest);
  const pending = draft.items.filter((i) => i.status !== 'done');
  const known = draft.items.length;
  const counter = { pages: 0 };
  await extend(dir, dir.shown, draft, { ...request, dryRun: counter }, ctx);
  const { settings } = request;
  return planExport(
    [pending, draft.items.slice(known)],
    draft.grain,
    settings,
    counter.pages + settings.lookupPages,
    opts.output?.toLowerCase() === 'json',
    ctx,
  );
}
function newManifest(window: Window, grainMs: number, now: number, format: ExportFormat): Manifest {
  const stamp = formatTime(now);
  return {
    schemaVersion: 2,
    tool: `acs-metrics ${version()}`,
    created: stamp,
    updated: stamp,
    window: { start: formatTime(window.start), end: formatTime(window.start) },
    grain: toIsoDuration(grainMs),
    ...(format === 'parquet' ? { format } : {}),
    overlap: toIsoDuration(TAIL_MS),
    resources: [],
    metrics: [],
    requests: 0,
    items: [],
  };
}

/** What a killed run left: files the manifest no longer lists, and our temp files. */
async function tidy(dir: ArchiveStore, shownDir: string, manifest: Manifest, ctx: Context): Promise<void> {
  if (manifest.obsolete?.length) {
    await removeObsolete(dir, manifest);
    await writeManifest(dir, manifest);
  }
  const temps = await removeStaleTemps(dir, manifest, processAlive);
  if (temps > 0) ctx.note(`${shownDir}: removed ${temps} temp file${temps === 1 ? '' : 's'} left by an interrupted run`);
}

interface ExtendRequest {
  readonly settings: Awaited<ReturnType<typeof estateSettings>>;
  readonly metrics: readonly MetricDef[] | undefined;
  /** The run's end (a whole minute). */
  readonly end: number;
  readonly now: number;
  /** The start asked with --since or --start, when given. */
  readonly askedStart: number | undefined;
  /** --dry-run: write nothing; count the Resource Graph pages here. */
  readonly dryRun?: { pages: number };
}

/**
 * Plans this run: the selection (resolved again when given, else the manifest's) and the metrics
 * brought up to the run's end; resources and metrics that joined get their whole window, those that
 * left are kept as they are. Writes the plan to the manifest before anything is fetched.
 */
async function extend(dir: ArchiveStore, shownDir: string, manifest: Manifest, req: ExtendRequest, ctx: Context): Promise<ManifestGap[]> {
  const resources = await selectionResources(manifest, req.settings, ctx, req.dryRun);
  const metrics = req.metrics ?? (manifest.metrics.length > 0 ? manifest.metrics.map((m) => metricByRestName(m)!) : currentMetrics());
  const origin = Date.parse(manifest.window.start);
  const oldest = floorMinute(req.now) - RETENTION_MS;
  const known = new Set(manifest.items.map((i) => i.resource.toLowerCase()));
  const ids = new Set(resources.map((r) => r.id.toLowerCase()));
  const firstRun = manifest.items.length === 0;
  if (!firstRun) {
    const joined = resources.filter((r) => !known.has(r.id.toLowerCase())).map((r) => r.name);
    const left = manifest.resources.filter((r) => !ids.has(r.toLowerCase())).map((r) => r.split('/').at(-1)!);
    if (joined.length > 0) ctx.note(`${shownDir}: ${list(joined)} joined the selection: exporting ${joined.length === 1 ? 'its' : 'their'} whole window`);
    if (left.length > 0)
      ctx.note(`${shownDir}: ${list(left)} left the selection: ${left.length === 1 ? 'its files are' : 'their files are'} kept and no longer extended`);
    const newMetrics = metrics.filter((m) => !manifest.metrics.includes(m.rest)).map((m) => m.rest);
    const oldMetrics = manifest.metrics.filter((m) => !metrics.some((x) => x.rest === m));
    if (newMetrics.length > 0) ctx.note(`${shownDir}: ${list(newMetrics)} joined the metrics: exporting the whole window`);
    if (oldMetrics.length > 0) ctx.note(`${shownDir}: ${list(oldMetrics)} left the metrics: kept and no longer extended`);
    if (req.askedStart !== undefined && req.askedStart < origin) {
      ctx.note(`${shownDir}: the export starts at ${manifest.window.start}; --since and --start choose the start of a new export only`);
    }
  }
  if (origin < oldest && (firstRun || resources.some((r) => !known.has(r.id.toLowerCase())))) {
    ctx.note(
      `Azure keeps 93 days: new resources are exported from ${formatTime(Math.ceil((oldest - origin) / parseDuration(manifest.grain)!) * parseDuration(manifest.grain)! + origin)}`,
    );
  }
  const unfinished = new Set(manifest.items.filter((i) => i.status !== 'done').map((i) => `${i.resource.toLowerCase()}|${i.metric}`));
  const plan = planExtension({
    items: manifest.items,
    origin,
    grainMs: parseDuration(manifest.grain)!,
    resources,
    metrics,
    end: req.end,
    oldest,
    format: manifest.format ?? 'json',
    unfinished,
  });
  for (const t of plan.settled) delete (t as ManifestItem).tail;
  const found = formatTime(req.now);
  const gaps = plan.gaps.map((g) => ({ resource: g.resource, metric: g.metric, start: formatTime(g.start), end: formatTime(g.end), found }));
  manifest.items.push(...plan.items.map((i): ManifestItem => ({ ...i, status: 'pending' })));
  if (gaps.length > 0) manifest.gaps = [...(manifest.gaps ?? []), ...gaps];
  manifest.resources = resources.map((r) => r.id);
  manifest.metrics = metrics.map((m) => m.rest);
  if (req.end > Date.parse(manifest.window.end)) manifest.window.end = formatTime(req.end);
  Object.assign(manifest, { schemaVersion: 2, tool: `acs-metrics ${version()}`, overlap: toIsoDuration(TAIL_MS) });
  if (!req.dryRun) await writeManifest(dir, manifest);
  return gaps;
}

const list = (names: readonly string[]): string => (names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`);

/** The resources of the selection: resolved again when options give one, else those of the manifest. */
async function selectionResources(
  manifest: Manifest,
  settings: Awaited<ReturnType<typeof estateSettings>>,
  ctx: Context,
  counter?: { pages: number },
): Promise<ExportResource[]> {
  if (settings.selection.kind === 'none') {
    return manifest.resources.map((id) => {
      const r = parseResourceId(id);
      return { ...r, id: `/${r.id}` };
    });
  }
  const { EstateSource } = await import('../sources/azure/estate-source.js');
  const finder = new EstateSource(settings);
  const found = await finder.resources(ctx.io.signal);
  if (counter) counter.pages += finder.graphPagesRead;
  return found.map((r) => ({ ...r.resource, id: `/${r.resource.id}` }));
}

/** The closing note, errors and gaps; the exit code (4 when some data could not be had, 3 when none). */
function summary(shownDir: string, manifest: Manifest, outcome: RunOutcome, gaps: readonly ManifestGap[], ctx: Context, opts: PartialOptions): number {
  const total = manifest.items.length;
  const done = manifest.items.filter((i) => i.status === 'done').length;
  const bytes = [...new Map(manifest.items.map((i) => [i.file, i.bytes ?? 0])).values()].reduce((sum, b) => sum + b, 0);
  for (const g of groupGaps(gaps)) {
    ctx.warn(g);
  }
  if (outcome.written === 0 && outcome.failed === 0 && gaps.length === 0) {
    ctx.note(`${shownDir}: the export is up to date (${total} files, to ${manifest.window.end}); check it with: acs-metrics export --verify ${shownDir}`);
    return EXIT.OK;
  }
  ctx.note(
    `exported ${outcome.written} files (${done} of ${total} done, ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${manifest.requests} requests in all) to ${shownDir}, up to ${manifest.window.end}`,
  );
  const failed = manifest.items.filter((i) => i.status === 'failed');
  for (const f of failed.slice(0, 10)) ctx.io.stderr.write(`${ctx.err.red('error:')} ${safeText(f.file)}: ${safeText(f.error ?? '')}\n`);
  if (failed.length > 10) ctx.io.stderr.write(`${ctx.err.red('error:')} ... and ${failed.length - 10} more (see ${MANIFEST})\n`);
  if (failed.length > 0) ctx.note('run the same command again to retry what failed');
  if (failed.length === 0 && gaps.length === 0) return EXIT.OK;
  // Nothing exported at all is a data error; some files exported, or a span lost, is a partial export.
  if (outcome.written === 0 && failed.length > 0) return EXIT.DATA;
  if (failed.length > 0) return partialExit(ctx, opts, { failed: failed.length, of: total, unit: 'files' });
  ctx.note(
    `the archive is partial: a span Azure no longer keeps was lost (above)${opts.allowPartial ? '; --allow-partial: exit 0' : '; exit 4 (--allow-partial: 0)'}`,
  );
  return opts.allowPartial ? EXIT.OK : EXIT.PARTIAL;
}

/** One line per resource and lost span: `acs-a: 2026-01-01T00:00:00Z to 2026-02-03T00:00:00Z (33d) ...`. */
function groupGaps(gaps: readonly ManifestGap[]): string[] {
  const bySpan = new Map<string, { resource: string; metrics: string[]; start: string; end: string }>();
  for (const g of gaps) {
    const key = `${g.resource.toLowerCase()}|${g.start}|${g.end}`;
    const entry = bySpan.get(key) ?? { resource: g.resource, metrics: [], start: g.start, end: g.end };
    entry.metrics.push(g.metric);
    bySpan.set(key, entry);
  }
  return [...bySpan.values()].map(
    (e) =>
      `${safeText(e.resource.split('/').at(-1)!)}: ${e.start} to ${e.end} (${humanDuration(Date.parse(e.end) - Date.parse(e.start))}) is lost for ${e.metrics.length === 1 ? e.metrics[0] : `${e.metrics.length} metrics`}: Azure keeps 93 days and this export did not run in time (recorded in ${MANIFEST})`,
  );
}

async function verify(dir: ArchiveStore, shownDir: string, opts: ExportOptions, ctx: Context): Promise<number> {
  const others = (['metric', 'since', 'start', 'end', 'interval', 'resource', 'subscription', 'format', 'from'] as const).filter((k) => opts[k] !== undefined);
  if (others.length > 0) throw new UsageError(`--verify checks an export and fetches nothing: drop --${others[0]}`);
  const manifest = await readManifest(dir);
  if (manifest === undefined) throw new DataError(`${shownDir}: no acs-metrics export here (no ${MANIFEST})`);
  const { matched, files, problems } = await verifyExport(dir, manifest);
  for (const p of problems.slice(0, 20)) ctx.io.stderr.write(`${ctx.err.red('error:')} ${safeText(p)}\n`);
  if (problems.length > 20) ctx.io.stderr.write(`${ctx.err.red('error:')} ... and ${problems.length - 20} more\n`);
  ctx.io.stdout.write(
    `${problems.length === 0 ? 'OK' : 'FAILED'}: ${matched} of ${files} files match their sha256; ${manifest.resources.length} resource${manifest.resources.length === 1 ? '' : 's'}, ${manifest.metrics.length} metrics, ${manifest.window.start} to ${manifest.window.end} at ${manifest.grain}\n`,
  );
  return problems.length === 0 ? EXIT.OK : EXIT.DATA;
}
