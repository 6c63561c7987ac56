/**
 * Output as YAML (`-o yaml`): the same document as JSON, written by the yaml package (loaded only when
 * asked for). A query result is written in pieces (its head, then each series with its points,
 * then its totals), byte for byte what stringifying the whole document writes.
 */
import type { QueryResult } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { CHUNK_CHARS } from './chunks.js';
import { type CostSum, documentEnds, seriesFields } from './json.js';

type Stringify = (value: unknown, options: { lineWidth: number }) => string;

/** Any JSON text as YAML. */
export async function jsonToYaml(json: string): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(JSON.parse(json), { lineWidth: 0 });
}

/** The yaml package's stringify, for renderYamlChunks. */
export async function loadYaml(): Promise<Stringify> {
  return (await import('yaml')).stringify as Stringify;
}

/** A query result's YAML document in pieces. */
export function* renderYamlChunks(result: QueryResult, stringify: Stringify, cost?: CostSum): Generator<string> {
  // Through JSON, as `-o yaml` always was: NaN and -0 become what JSON makes of them.
  const yaml = (value: unknown): string => stringify(JSON.parse(JSON.stringify(value)), { lineWidth: 0 });
  const { head, tail } = documentEnds(result, cost);
  yield yaml(head);
  if (result.series.length === 0) yield 'series: []\n';
  else {
    yield 'series:\n';
    for (const s of result.series) {
      // "- " then the members, the whole item two columns in.
      yield indent(yaml([seriesFields(result.query.metric, s)]), '  ');
      if (s.points.length === 0) {
        yield '    points: []\n';
        continue;
      }
      yield '    points:\n';
      yield* pointChunks(s.points, yaml);
    }
  }
  yield yaml(tail);
}

/** A timestamp the yaml package writes as a plain scalar (formatTime's 1970-9999). */
const PLAIN_STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * A series' points as the yaml package writes them four columns in: written here (1.7 million of
 * them are a minute's work for the package), the package asked only for a stamp it might quote.
 */
function* pointChunks(points: QueryResult['series'][number]['points'], yaml: (value: unknown) => string): Generator<string> {
  let out = '';
  for (const p of points) {
    const timestamp = formatTime(p.timestamp);
    // The package writes a number as JSON.stringify does, and null as null (NaN went through JSON).
    const value = p.value === null || !Number.isFinite(p.value) ? 'null' : JSON.stringify(p.value);
    out += PLAIN_STAMP.test(timestamp) ? `      - timestamp: ${timestamp}\n        value: ${value}\n` : indent(yaml([{ timestamp, value: p.value }]), '      ');
    if (out.length >= CHUNK_CHARS) {
      yield out;
      out = '';
    }
  }
  yield out;
}

/** Every non-empty line `pad` further in (lines end at \n only: a regex's ^ would also break at \r and U+2028). */
const indent = (text: string, pad: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
