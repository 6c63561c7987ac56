/**
 * Cuts one metric of a batch response entry to an export item's window: the points whose timeStamp
 * lies in [start, end), the entry's starttime and endtime set to that window. A request of an export
 * run gives a settled file and the tail this way, and no point lands in two files.
 */
import { formatTime } from './time.js';

/** An entry of a batch-shaped body (metrics:getBatch), as the estate source gives it. */
export interface BatchEntry {
  resourceid: string;
  starttime?: string;
  endtime?: string;
  value: BatchMetric[];
  [key: string]: unknown;
}

export interface BatchMetric {
  name: { value: string; localizedValue?: string };
  errorCode?: string;
  errorMessage?: string;
  timeseries?: { data?: { timeStamp: string }[]; [key: string]: unknown }[];
  [key: string]: unknown;
}

/** The replayable body of one item: `{values: [entry with this metric only, cut to the window]}`. */
export function itemBody(entry: BatchEntry, metric: BatchMetric, window: { start: number; end: number }, whole: boolean): string {
  const inside = (p: { timeStamp: string }): boolean => {
    const t = Date.parse(p.timeStamp);
    return t >= window.start && t < window.end;
  };
  const cut = whole
    ? metric
    : {
        ...metric,
        timeseries: (metric.timeseries ?? []).map((s) => ({ ...s, data: (s.data ?? []).filter(inside) })).filter((s) => s.data.length > 0),
      };
  const body = whole ? { ...entry, value: [cut] } : { ...entry, starttime: formatTime(window.start), endtime: formatTime(window.end), value: [cut] };
  return `${JSON.stringify({ values: [body] }, null, 2)}\n`;
}
