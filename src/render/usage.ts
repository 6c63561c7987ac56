/** The usage report (`acs-metrics usage`) as a table, JSON, CSV or a Markdown migration report. */
import type { ChalkInstance } from 'chalk';
import { isEndOfLife, lifecycleLabel, RETIREMENT_DATE, RETIREMENT_GUIDE } from '../catalog/lifecycle.js';
import { resourceName } from '../catalog/resource.js';
import type { ChannelUsage, UsageReport } from '../core/usage.js';
import { formatTime } from '../core/time.js';
import { csvText } from './csv.js';
import { formatNumber, formatPercent } from './format.js';
import { type Cell, renderGrid, wrapLines } from './grid.js';
import { safeText } from './safe.js';
import { allPeriods, periodWords, trendCell, trendHeading, trendLegend } from './trend.js';
import type { TrendUnit } from '../core/trend.js';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const nameOf = (id: string): string => (id === '' ? '(unknown)' : resourceName(id));
const rate = (c: ChannelUsage): number | null => (c.errors === null || c.requests <= 0 ? null : c.errors / c.requests);
const ops = (c: ChannelUsage): string => c.operations.map((o) => `${o.name} ${formatNumber(o.requests)}`).join(', ');
const windowText = (r: UsageReport): string => `${formatTime(r.start)} – ${formatTime(r.end)}`;

function lifecycleCell(c: ChannelUsage, color: ChalkInstance): Cell {
  const text = lifecycleLabel(c.metric.lifecycle);
  const status = c.metric.lifecycle.status;
  return { text, style: status === 'retiring' ? color.red : status === 'breaking' ? color.yellow : undefined };
}

export function renderUsageTable(report: UsageReport, opts: { color: ChalkInstance; width?: number }): string {
  const c = opts.color;
  const channels = report.resources.flatMap((r) => r.channels);
  const trended = report.trend !== 'none';
  const caption = `ACS usage by resource and channel · ${windowText(report)} · ${report.resources.length} resource${report.resources.length === 1 ? '' : 's'}, ${channels.length} channel${channels.length === 1 ? '' : 's'} with traffic\n`;
  const rows = channels.map((ch): Cell[] => [
    nameOf(ch.resourceId),
    ch.metric.alias,
    lifecycleCell(ch, c),
    formatNumber(ch.requests),
    ch.errors === null ? '-' : formatNumber(ch.errors),
    formatPercent(rate(ch)),
    day(ch.firstTraffic),
    day(ch.lastTraffic),
    ops(ch),
    ...(trended ? [trendCell(ch.trend)] : []),
  ]);
  const table =
    rows.length === 0
      ? ''
      : renderGrid(
          [
            'Resource',
            'Channel',
            'Lifecycle',
            'Requests',
            'Errors',
            'Error rate',
            'First day',
            'Last day',
            'Busiest operations',
            ...(trended ? [trendHeading(report.trend)] : []),
          ],
          rows,
          {
            color: c.level > 0,
            headStyle: c.bold,
            align: ['left', 'left', 'left', 'right', 'right', 'right', 'left', 'left', 'left', 'left'],
            // Narrow terminals, in this order: operations wrap (down to 20), Lifecycle wraps onto two
            // lines, then Last day, Error rate, First day, Errors and the operations go; only then are
            // Resource and Channel cut with … (down to 8), and Requests goes last. Resource and channel are
            // what tells the rows apart (a channel shows up under many resources, a resource has many
            // channels), so they are cut last; Lifecycle is the point of the report and never goes; every
            // row had traffic, so Requests can go before them. Narrowest fit: 36 columns (Resource,
            // Channel and Lifecycle at 8, 8 and 10); below that it is drawn at those widths, wider.
            columns: [
              { mode: 'middle', floor: 16, min: 8 },
              { mode: 'truncate', floor: 16, min: 8 },
              { mode: 'wrap', floor: 10 },
              { late: 1 },
              { drop: 4 },
              { drop: 2 },
              { drop: 3 },
              { drop: 1 },
              { mode: 'wrap', floor: 20, drop: 5 },
              // The trend goes after the operations: it is what a burndown is read for.
              { drop: 6 },
            ],
            ...(opts.width !== undefined ? { width: opts.width } : {}),
          },
        );
  const clear = report.resources.filter((r) => r.clear).map((r) => nameOf(r.resourceId));
  const legend = trendLegend(report.trend, allPeriods(channels.map((ch) => ch.trend)));
  // The legend explains the trend column, unless a narrow terminal left it out.
  const shown = legend !== '' && channels.length > 0 && table.includes(trendCell(channels[0]!.trend));
  const footer = `${clear.length > 0 ? `${c.green('clear')} (no traffic on a retiring channel): ${safeText(clear.join(', '))}\n` : ''}${shown ? `${legend}\n` : ''}`;
  return `${opts.width !== undefined ? wrapLines(caption, opts.width) : caption}${table}${opts.width !== undefined ? wrapLines(footer, opts.width) : footer}`;
}

export function usageJson(report: UsageReport): object {
  return {
    schemaVersion: 1,
    window: { start: formatTime(report.start), end: formatTime(report.end) },
    retirement: { date: RETIREMENT_DATE, guide: RETIREMENT_GUIDE },
    trend: report.trend === 'none' ? null : report.trend,
    resources: report.resources.map((r) => ({
      id: r.resourceId,
      name: nameOf(r.resourceId),
      clear: r.clear,
      channels: r.channels.map((ch) => ({
        metric: ch.metric.rest,
        alias: ch.metric.alias,
        area: ch.metric.area,
        lifecycle: { status: ch.metric.lifecycle.status, date: ch.metric.lifecycle.date ?? null, summary: ch.metric.lifecycle.summary },
        requests: ch.requests,
        errors: ch.errors,
        errorRate: rate(ch),
        firstDay: day(ch.firstTraffic),
        lastDay: day(ch.lastTraffic),
        firstTraffic: formatTime(ch.firstTraffic),
        lastTraffic: formatTime(ch.lastTraffic),
        operations: ch.operations,
        trend: ch.trend.map((p) => ({ period: p.label, start: formatTime(p.start), end: formatTime(p.end), partial: p.partial, requests: p.requests })),
      })),
    })),
  };
}

/** `cost`: live runs, the sum of the `cost` fields Azure's answers carried. */
export function renderUsageJson(report: UsageReport, cost?: { total: number; answers: number }): string {
  return `${JSON.stringify({ ...usageJson(report), ...(cost ? { cost } : {}) }, null, 2)}\n`;
}

/** One row per resource and channel with traffic; a clear resource without any traffic gets one row with no channel. */
/** A CSV line; numbers (requests, errors) are plain digits and need no guard. */
const csvRow = (cells: readonly string[]): string => `${cells.map((c) => (/^\d+$/.test(c) ? c : csvText(c))).join(',')}\r\n`;

export function renderUsageCsv(report: UsageReport): string {
  const head = [
    'resource',
    'resource_id',
    'channel',
    'metric',
    'lifecycle',
    'lifecycle_date',
    'requests',
    'errors',
    'first_day',
    'last_day',
    'busiest_operations',
    'clear',
  ];
  // With a trend, a column per period (its label, "(partial)" when the window holds only part of it).
  const periods = allPeriods(report.resources.flatMap((r) => r.channels.map((ch) => ch.trend)));
  const lines = [csvRow([...head, ...periods.map((p) => (p.partial ? `${p.label} (partial)` : p.label))])];
  const perPeriod = (ch: ChannelUsage): string[] => periods.map((p) => String(ch.trend.find((q) => q.label === p.label)?.requests ?? ''));
  for (const r of report.resources) {
    if (r.channels.length === 0)
      lines.push(csvRow([nameOf(r.resourceId), r.resourceId, '', '', '', '', '0', '', '', '', '', String(r.clear), ...periods.map(() => '')]));
    for (const ch of r.channels) {
      lines.push(
        csvRow([
          nameOf(r.resourceId),
          r.resourceId,
          ch.metric.alias,
          ch.metric.rest,
          ch.metric.lifecycle.status,
          ch.metric.lifecycle.date ?? '',
          String(ch.requests),
          ch.errors === null ? '' : String(ch.errors),
          day(ch.firstTraffic),
          day(ch.lastTraffic),
          ch.operations.map((o) => `${o.name} ${o.requests}`).join('; '),
          String(r.clear),
          ...perPeriod(ch),
        ]),
      );
    }
  }
  return lines.join('');
}

/** Markdown text: no control characters, and no pipe or backtick that would break a table or code span. */
const md = (text: string): string => safeText(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'");

/** A report a person can paste into a migration ticket. */
export function renderUsageMarkdown(report: UsageReport): string {
  const out: string[] = [];
  const trended = report.trend !== 'none';
  const inUse = report.resources.filter((r) => !r.clear);
  out.push('# ACS retirement readiness', '');
  out.push(
    `Traffic of ${report.resources.length} Azure Communication Services resource${report.resources.length === 1 ? '' : 's'} from ${formatTime(report.start)} to ${formatTime(report.end)} (UTC), from Azure Monitor platform metrics (acs-metrics usage).`,
    '',
    `Microsoft retires ACS as a standalone offering on **${RETIREMENT_DATE}** (Email, SMS, Advanced Messaging, Chat, Rooms and Job Router retire; Call Automation and Call Recording keep only Teams-aligned scenarios), and decommissions the telemetry of retired services afterwards: export it first (\`acs-metrics export\`). Source: [Azure Communication Services retirement and breaking changes guide](${RETIREMENT_GUIDE}) (2026-08-18).`,
    '',
    `**${inUse.length}** of ${report.resources.length} resource${report.resources.length === 1 ? '' : 's'} ${inUse.length === 1 ? 'uses' : 'use'} a retiring channel.`,
    '',
  );
  for (const r of report.resources) {
    out.push(`## ${md(nameOf(r.resourceId))}${r.clear ? ' (clear)' : ''}`, '');
    if (r.resourceId !== '') out.push(`Resource: \`${md(r.resourceId)}\``, '');
    if (r.channels.length === 0) {
      out.push('No traffic on any channel in the window.', '');
      continue;
    }
    const trendHead = trended ? ` ${trendHeading(report.trend)} |` : '';
    out.push(
      `| Channel | Lifecycle | Requests | Errors | First day | Last day | Busiest operations |${trendHead}`,
      `|---|---|--:|--:|---|---|---|${trended ? '---|' : ''}`,
    );
    for (const ch of r.channels) {
      out.push(
        `| ${md(ch.metric.displayName)} | ${md(lifecycleLabel(ch.metric.lifecycle))} | ${formatNumber(ch.requests)} | ${ch.errors === null ? '-' : `${formatNumber(ch.errors)} (${formatPercent(rate(ch))})`} | ${day(ch.firstTraffic)} | ${day(ch.lastTraffic)} | ${md(ops(ch)) || '-'} |${trended ? ` ${trendCell(ch.trend).replace(/\*/g, '\\*')} |` : ''}`,
      );
    }
    out.push('');
    if (trended)
      out.push(
        ...burndownTable(
          r.channels.filter((ch) => isEndOfLife(ch.metric.lifecycle)),
          report.trend,
        ),
      );
    const actions = r.channels.filter((ch) => ch.metric.lifecycle.status === 'retiring' || ch.metric.lifecycle.status === 'breaking');
    if (actions.length > 0) {
      out.push('What the retirement guide says for these channels:', '');
      for (const ch of actions) {
        out.push(
          `- **${md(ch.metric.area)}** (${md(ch.metric.alias)}): ${md(ch.metric.lifecycle.summary)}. See the guide's ${md(ch.metric.area)} section: ${RETIREMENT_GUIDE}`,
        );
      }
      out.push('');
    } else {
      out.push('No traffic on a retiring channel in the window.', '');
    }
  }
  const legend = trendLegend(report.trend, allPeriods(report.resources.flatMap((r) => r.channels.map((ch) => ch.trend))));
  if (legend !== '') out.push(legend.replace(/\*/g, '\\*'), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** The retiring and breaking channels' requests per period, a row per period: the burndown for the ticket. */
function burndownTable(channels: readonly ChannelUsage[], unit: TrendUnit): string[] {
  if (channels.length === 0) return [];
  const periods = allPeriods(channels.map((ch) => ch.trend));
  const out = [
    `Requests per ${periodWords(unit)} on the retiring and breaking channels:`,
    '',
    `| ${unit === 'week' ? 'Week' : 'Month'} | ${channels.map((ch) => md(ch.metric.alias)).join(' | ')} |`,
    `|---|${channels.map(() => '--:|').join('')}`,
  ];
  for (const p of periods) {
    const cells = channels.map((ch) => {
      const n = ch.trend.find((q) => q.label === p.label)?.requests ?? null;
      return n === null ? '-' : formatNumber(n);
    });
    out.push(`| ${p.label}${p.partial ? ` (partial: ${day(p.start)} to ${day(p.end - 1)})` : ''} | ${cells.join(' | ')} |`);
  }
  out.push('');
  return out;
}
