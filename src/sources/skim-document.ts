/**
 * A quicker read of a saved Metrics API response (`{"timespan": ..., "value": [metric, ...]}`) for a
 * query of some of its metrics: the file's bytes are checked to be JSON without building objects, and
 * JSON.parse runs only on the wanted metrics and on the others without their time series (what the
 * README query's start-up spent most on: parsing all thirteen metrics of the 2.4 MiB sample week and
 * collecting the garbage of it). An unwanted metric's series are parsed from its own text when
 * something first asks for them.
 *
 * The result is what readMetricsDocument gives, exactly: the metrics are read by it, from a document
 * made of the file's own text with the unwanted metrics' "timeseries" arrays emptied (their indexes,
 * and so every message, stay the same). Anything this reader does not expect (a batch response, an
 * array of responses, a byte order mark, a syntax error, a key it looks at given twice, a metric
 * that fails to read, ...) makes it return undefined, and the caller reads the file as before: every
 * message, and which file is refused, is the reference reader's.
 *
 * Checking the bytes: the data arrays (nearly all of the text) are matched by one regular expression,
 * run by V8 as native code, several times faster than JSON.parse; the rest by a small scanner below.
 */
import { isAscii } from 'node:buffer';
import type { MetricData } from '../core/model.js';
import { parseJson, parseMetricsBody, readMetricsDocument, type Wanted } from './parse-response.js';
import { CERTIFIED, markDuplicatePoints } from './point-check.js';
import { DATA_ARRAY, PLAIN_VALUES, SERVICE_DATA_ARRAY } from './skim-patterns.js';

/** Thrown (one object, made once) when the text is not what this reader handles. */
const NOT_HERE = new Error('skim-document: read the file the usual way');

/**
 * The key of members whose key has escapes: at the top and in a metric, where a key could be "value" or
 * "timeseries" written with escapes (JSON.parse would take it for the one seen), the file is read the
 * usual way. (Not a key text can give: a raw backslash is always an escape.)
 */
const ESCAPED = '\\';

/** A metric of the response's value array: its text, and that of its timeseries array. */
interface Element {
  readonly start: number;
  readonly end: number;
  /**
   * The timeseries array ([...]), when the metric has one; `service` when every series object in it has
   * one "data" key, unescaped, holding an array of points in the service's layout (SERVICE_DATA_ARRAY).
   */
  readonly series?: { readonly start: number; readonly end: number; readonly service: boolean };
}

/** Where the value array is, and its metrics. */
interface Skeleton {
  /** The text from the start (after a UTF-8 byte order mark) to the value array's "[", inclusive. */
  readonly open: number;
  /** The value array's "]". */
  readonly close: number;
  readonly elements: readonly Element[];
}

/**
 * The metrics of a response file for a query of the wanted ones, or undefined when the file is to be
 * read the usual way (see the top of this file). `room` is the heap room: a file that might not fit is
 * left to the usual reader, which measures it.
 */
export function skimMetrics(bytes: Buffer, origin: string, wanted: Wanted, room: number): MetricData[] | undefined {
  if (bytes.length * 24 > room * 0.9) return undefined;
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return undefined;
  const from = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // One character per byte: offsets are byte offsets, and UTF-8 text in strings is only passed over.
  const latin1 = bytes.toString('latin1');
  let skeleton: Skeleton;
  try {
    skeleton = new Scanner(latin1, from).document();
  } catch {
    return undefined; // NOT_HERE, or nesting too deep for the scanner's recursion
  }
  // Pieces of the text: of the one-byte string itself when it is all ASCII (as UTF-8 reads it), else decoded.
  const text = isAscii(bytes)
    ? (start: number, end: number): string => latin1.slice(start, end)
    : (start: number, end: number): string => bytes.toString('utf8', start, end);
  try {
    return readSkimmed(text, bytes.length, from, skeleton, origin, wanted);
  } catch {
    return undefined; // a metric that does not read: the usual reader says why
  }
}

/** The metrics, read by readMetricsDocument from the file's text with the unwanted metrics' series left out. */
function readSkimmed(
  text: (start: number, end: number) => string,
  size: number,
  from: number,
  skeleton: Skeleton,
  origin: string,
  wanted: Wanted,
): MetricData[] {
  const head = text(from, skeleton.open + 1);
  const tail = text(skeleton.close, size);
  const full = (e: Element): string => text(e.start, e.end);
  const bare = skeleton.elements.map((e) => (e.series === undefined ? full(e) : `${text(e.start, e.series.start)}[]${text(e.series.end, e.end)}`));
  // Which metrics are wanted: their names as readMetricsDocument reads them.
  const bareDoc = readMetricsDocument(head + bare.join(',') + tail, origin, () => false);
  const names = bareDoc.metrics.map((m) => m.name);
  if (names.length !== bare.length) throw NOT_HERE;
  const take = names.map((n) => wanted(n));
  // The wanted metrics' points in the service's layout pass checkPoint as they are, and hold no key
  // twice: readSeries skips the checks, and the text is not searched for keys given twice.
  const service = take.every((t, i) => !t || skeleton.elements[i]!.series?.service !== false);
  let body: Body;
  if (service) body = withSeries(bareDoc.bodies[0] as Body, skeleton.elements, take, text);
  else {
    const doc = head + bare.map((b, i) => (take[i] ? full(skeleton.elements[i]!) : b)).join(',') + tail;
    body = parseJson(doc, origin) as Body;
    markDuplicatePoints(body, doc);
  }
  for (let i = 0; i < take.length; i++) {
    if (!take[i] || skeleton.elements[i]!.series?.service !== true) continue;
    for (const s of body.value[i]!.timeseries!) Object.defineProperty(s.data, CERTIFIED, { value: true });
  }
  const metrics = parseMetricsBody(body, origin, wanted);
  for (let i = 0; i < metrics.length; i++) {
    const e = skeleton.elements[i]!;
    if (take[i] || e.series === undefined) continue;
    // Read from the metric's own text, after the others' bare ones (so its index, and the messages, are the file's).
    let series: MetricData['series'] | undefined;
    const read = (): MetricData['series'] => readMetricsDocument(`${head}${[...bare.slice(0, i), full(e)].join(',')}${tail}`, origin).metrics[i]!.series;
    Object.defineProperty(metrics[i], 'series', { enumerable: true, configurable: true, get: () => (series ??= read()) });
  }
  return metrics;
}

type Body = { value: { timeseries?: { data: object }[] }[] };

/**
 * The body of the bare document (every metric's timeseries array empty) with the wanted metrics'
 * series parsed from their own text: what JSON.parse of the whole text with those metrics gives
 * (the text is JSON, checked by the Scanner), without building that text (a copy of the wanted
 * metrics, half a megabyte for the sample week's Chat) and parsing every metric's fields twice.
 */
function withSeries(body: Body, elements: readonly Element[], take: readonly boolean[], text: (start: number, end: number) => string): Body {
  elements.forEach((e, i) => {
    if (take[i] && e.series !== undefined) body.value[i]!.timeseries = JSON.parse(text(e.series.start, e.series.end)) as { data: object }[];
  });
  return body;
}

/**
 * A JSON checker over text of one character per byte: throws NOT_HERE at anything that is not JSON,
 * and finds the response's value array and its metrics. Recursive (JSON nested deeper than the stack
 * allows throws a RangeError, which the caller takes as NOT_HERE too).
 */
class Scanner {
  private i: number;

  constructor(
    private readonly t: string,
    from: number,
  ) {
    this.i = from;
  }

  /** The top level: one object with one "value" array (and no "values": batch bodies are read the usual way). */
  document(): Skeleton {
    let skeleton: Skeleton | undefined;
    this.ws();
    this.expect(123);
    this.members((key) => {
      if (key === ESCAPED || key === 'values' || (key === 'value' && skeleton !== undefined)) throw NOT_HERE;
      if (key !== 'value') return this.value(key);
      if (this.t.charCodeAt(this.i) !== 91) throw NOT_HERE;
      skeleton = this.metrics();
    });
    this.ws();
    if (this.i !== this.t.length || skeleton === undefined) throw NOT_HERE;
    return skeleton;
  }

  /** The value array: every element an object (a metric). */
  private metrics(): Skeleton {
    const open = this.i;
    const elements: Element[] = [];
    this.i++;
    this.ws();
    if (this.t.charCodeAt(this.i) === 93) return { open, close: this.i++, elements };
    for (;;) {
      if (this.t.charCodeAt(this.i) !== 123) throw NOT_HERE;
      elements.push(this.metric());
      this.ws();
      const c = this.t.charCodeAt(this.i++);
      if (c === 93) return { open, close: this.i - 1, elements };
      if (c !== 44) throw NOT_HERE;
      this.ws();
    }
  }

  /** A metric object, noting where its timeseries array is (given twice: not here). */
  private metric(): Element {
    const start = this.i;
    let series: Element['series'];
    let seen = false;
    this.i++;
    this.members((key) => {
      if (key === ESCAPED || (key === 'timeseries' && seen)) throw NOT_HERE;
      if (key !== 'timeseries') return this.value(key);
      seen = true;
      const at = this.i;
      if (this.t.charCodeAt(at) !== 91) return this.value(key);
      const service = this.seriesArray();
      series = { start: at, end: this.i, service };
    });
    return series === undefined ? { start, end: this.i } : { start, end: this.i, series };
  }

  /** A timeseries array; whether each element is a series object whose one "data" array is in the service's layout. */
  private seriesArray(): boolean {
    let service = true;
    this.i++;
    this.ws();
    if (this.t.charCodeAt(this.i) === 93) {
      this.i++;
      return service;
    }
    for (;;) {
      if (this.t.charCodeAt(this.i) !== 123) {
        this.value('');
        service = false;
      } else {
        let data = 0;
        this.i++;
        this.members((key) => {
          if (key === ESCAPED) service = false;
          if (key !== 'data') return this.value(key);
          SERVICE_DATA_ARRAY.lastIndex = this.i;
          if (++data === 1 && SERVICE_DATA_ARRAY.test(this.t)) this.i = SERVICE_DATA_ARRAY.lastIndex;
          else {
            service = false;
            this.value(key);
          }
        });
        if (data !== 1) service = false;
      }
      this.ws();
      const c = this.t.charCodeAt(this.i++);
      if (c === 93) return service;
      if (c !== 44) throw NOT_HERE;
      this.ws();
    }
  }

  /** An object's members after its "{", up to and past its "}"; each value is read by `read` (at its first character). */
  private members(read: (key: string) => void): void {
    this.ws();
    if (this.t.charCodeAt(this.i) === 125) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.t.charCodeAt(this.i) !== 34) throw NOT_HERE;
      const start = this.i;
      this.string();
      const raw = this.t.slice(start + 1, this.i - 1);
      // An escaped key could be one looked for here, written otherwise: the caller decides (see ESCAPED).
      const key = raw.includes('\\') ? ESCAPED : raw;
      this.ws();
      this.expect(58);
      this.ws();
      read(key);
      this.ws();
      const c = this.t.charCodeAt(this.i++);
      if (c === 125) return;
      if (c !== 44) throw NOT_HERE;
      this.ws();
    }
  }

  /** Any JSON value; a "data" array of plain points in one step (DATA_ARRAY). */
  private value(key: string): void {
    const c = this.t.charCodeAt(this.i);
    const plain = (c === 123 || c === 91) && Object.hasOwn(PLAIN_VALUES, key) ? PLAIN_VALUES[key]! : undefined;
    if (plain !== undefined) {
      plain.lastIndex = this.i;
      if (plain.test(this.t)) {
        this.i = plain.lastIndex;
        return;
      }
    }
    if (c === 34) this.string();
    else if (c === 123) {
      this.i++;
      this.members((k) => this.value(k));
    } else if (c === 91) {
      if (key === 'data') {
        DATA_ARRAY.lastIndex = this.i;
        if (DATA_ARRAY.test(this.t)) {
          this.i = DATA_ARRAY.lastIndex;
          return;
        }
      }
      this.array();
    } else if (c === 116) this.word('true');
    else if (c === 102) this.word('false');
    else if (c === 110) this.word('null');
    else this.number();
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.t.charCodeAt(this.i) === 93) {
      this.i++;
      return;
    }
    for (;;) {
      this.value('');
      this.ws();
      const c = this.t.charCodeAt(this.i++);
      if (c === 93) return;
      if (c !== 44) throw NOT_HERE;
      this.ws();
    }
  }

  /** A string from its opening quote to past its closing one: no raw control characters, known escapes. */
  private string(): void {
    const t = this.t;
    let i = this.i + 1;
    for (;;) {
      const c = t.charCodeAt(i++);
      if (c === 34) break;
      if (c !== c || c < 32) throw NOT_HERE; // the end of the text (NaN), or a control character
      if (c === 92) {
        const e = t.charCodeAt(i++);
        if (e === 117) {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(i, i + 4))) throw NOT_HERE;
          i += 4;
        } else if (e !== 34 && e !== 92 && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) throw NOT_HERE;
      }
    }
    this.i = i;
  }

  /** A number as JSON writes them: -?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?. */
  private number(): void {
    const t = this.t;
    let i = this.i;
    if (t.charCodeAt(i) === 45) i++;
    if (t.charCodeAt(i) === 48) i++;
    else i = this.digits(i);
    if (t.charCodeAt(i) === 46) i = this.digits(i + 1);
    const e = t.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const s = t.charCodeAt(i);
      if (s === 43 || s === 45) i++;
      i = this.digits(i);
    }
    this.i = i;
  }

  /** One or more digits from i; where they end. */
  private digits(i: number): number {
    const t = this.t;
    const start = i;
    for (let c = t.charCodeAt(i); c >= 48 && c <= 57; c = t.charCodeAt(++i));
    if (i === start) throw NOT_HERE;
    return i;
  }

  private word(w: string): void {
    if (!this.t.startsWith(w, this.i)) throw NOT_HERE;
    this.i += w.length;
  }

  private expect(code: number): void {
    if (this.t.charCodeAt(this.i) !== code) throw NOT_HERE;
    this.i++;
  }

  private ws(): void {
    const t = this.t;
    let i = this.i;
    for (let c = t.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = t.charCodeAt(++i));
    this.i = i;
  }
}
