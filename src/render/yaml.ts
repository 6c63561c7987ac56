/**
 * Output as YAML (`-o yaml`): the same document as JSON, written by the yaml package (loaded only when
 * asked for). A query result is written in pieces (its head, then each series with its points a
 * slice at a time, then its totals), byte for byte what stringifying the whole document writes.
 */
import type { QueryResult } from '../core/model.js';
import { formatTime } from '../core/time.js';
import { documentEnds, seriesFields } from './json.js';

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

/** Points per slice handed to the yaml package. */
const SLICE = 2000;

/** A query result's YAML document in pieces. */
export function* renderYamlChunks(result: QueryResult, stringify: Stringify): Generator<string> {
  // Through JSON, as `-o yaml` always was: NaN and -0 become what JSON makes of them.
  const yaml = (value: unknown): string => stringify(JSON.parse(JSON.stringify(value)), { lineWidth: 0 });
  const { head, tail } = documentEnds(result);
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
      for (let i = 0; i < s.points.length; i += SLICE) {
        const slice = s.points.slice(i, i + SLICE).map((p) => ({ timestamp: formatTime(p.timestamp), value: p.value }));
        yield indent(yaml(slice), '      ');
      }
    }
  }
  yield yaml(tail);
}

/** Every non-empty line `pad` further in (lines end at \n only: a regex's ^ would also break at \r and U+2028). */
const indent = (text: string, pad: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
