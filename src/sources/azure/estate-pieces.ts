/**
 * The answers of an estate run piece by piece (a resource's metric group and window) until they are
 * collected: all at the end (fetch: the settled data of every resource, and the merged entries for
 * --save), or each resource's metric group as soon as its last window arrives (fetchEach: handed
 * on and let go, so that a run over thousands of resources holds only the answers in flight, in
 * whatever order the calls go out).
 *
 * The first answer of a piece stands: a subscription the batch API refuses after some of its calls
 * were answered is read one resource at a time only for the pieces still missing.
 */
import type { EachResource } from '../source.js';
import type { MetricGroup } from './batch-plan.js';
import type { ResourceCall } from './call-plan.js';
import type { CutWatch } from './cut-watch.js';
import { collectEntries, collectResource, type Settled, settle } from './estate-entries.js';

/** One resource's group, its windows merged and settled. */
function collectOne(g: MetricGroup, window: (wi: number) => Entry, cut: CutWatch): Settled {
  const settled: Settled[] = [];
  collectResource(
    [g],
    () => undefined,
    (_gi, wi) => window(wi),
    false,
    cut,
    settled,
    [],
  );
  return settled[0]!;
}
import type { Entry } from './estate-failures.js';
import type { ResourceInfo } from './resource-info.js';

export interface Collected {
  readonly settled: Settled[];
  /** With keep (--save): the merged entries. */
  readonly entries?: Entry[];
  /** Every resource's every group failed. */
  readonly allFailed: boolean;
  /** The first resource's first group (for the message when every one failed). */
  readonly first: Settled | undefined;
}

export class Pieces {
  /** (group, resource, window) -> entry, until the resource's group is whole; one-window groups without keep: (group, resource, 0) -> settled. */
  private readonly got = new Map<string, Entry>();
  private readonly done = new Map<string, Settled>();
  private readonly indexOf = new Map<ResourceInfo, number>();
  /** Windows each resource's group still waits for (fetchEach), and the groups handed on (resource x group). */
  private readonly left: Int32Array;
  private readonly handed: Uint8Array;
  private allFailed = true;
  private first: Settled | undefined;

  constructor(
    private readonly resources: readonly ResourceInfo[],
    private readonly groups: readonly MetricGroup[],
    private readonly keep: boolean,
    private readonly cut: CutWatch,
    private readonly each?: EachResource,
  ) {
    resources.forEach((r, i) => this.indexOf.set(r, i));
    this.left = new Int32Array(resources.length * groups.length);
    resources.forEach((_, i) => groups.forEach((g, gi) => (this.left[i * groups.length + gi] = g.windows.length)));
    this.handed = new Uint8Array(resources.length * groups.length);
  }

  private key(gi: number, r: ResourceInfo, wi: number): string {
    return `${gi}|${r.resource.id.toLowerCase()}|${wi}`;
  }

  /** Without --save, an entry of a one-window group becomes MetricData at once: its JSON is not kept. */
  private settlesAtOnce(gi: number): boolean {
    return !this.keep && this.groups[gi]!.windows.length === 1;
  }

  private has(gi: number, r: ResourceInfo, wi: number): boolean {
    if (this.handed[this.indexOf.get(r)! * this.groups.length + gi]) return true;
    return this.settlesAtOnce(gi) ? this.done.has(this.key(gi, r, 0)) : this.got.has(this.key(gi, r, wi));
  }

  /** A piece's answer (ignored when the piece has one). */
  put(gi: number, r: ResourceInfo, wi: number, e: Entry): void {
    if (this.has(gi, r, wi)) return;
    if (this.settlesAtOnce(gi)) this.done.set(this.key(gi, r, 0), settle(e, this.cut));
    else this.got.set(this.key(gi, r, wi), e);
    const at = this.indexOf.get(r)! * this.groups.length + gi;
    if (this.each !== undefined && --this.left[at]! === 0) this.hand(r, gi, this.each);
  }

  /** The calls whose pieces have no answer yet. */
  missing(calls: readonly ResourceCall[]): ResourceCall[] {
    return calls.filter((c) => !this.has(c.gi, c.resource, c.wi));
  }

  private ready = (gi: number, r: ResourceInfo): Settled | undefined => this.done.get(this.key(gi, r, 0));
  private window = (gi: number, r: ResourceInfo, wi: number): Entry => this.got.get(this.key(gi, r, wi))!;

  /** A resource's group whose every window has come: settled, handed on, let go. */
  private hand(r: ResourceInfo, gi: number, each: EachResource): void {
    const i = this.indexOf.get(r)!;
    const g = this.groups[gi]!;
    const settled = this.ready(gi, r) ?? collectOne(g, (wi) => this.window(gi, r, wi), this.cut);
    this.done.delete(this.key(gi, r, 0));
    g.windows.forEach((_, wi) => this.got.delete(this.key(gi, r, wi)));
    this.handed[i * this.groups.length + gi] = 1;
    if (i === 0 && gi === 0) this.first = settled;
    if (!settled.failed) this.allFailed = false;
    each.resource(i, settled.metrics, gi);
  }

  /** Every resource's data (fetch); after fetchEach, only whether all failed and the first. */
  collect(): Collected {
    if (this.each !== undefined) return { settled: [], allFailed: this.allFailed, first: this.first };
    const { settled, entries } = collectEntries(this.resources, this.groups, this.ready, this.window, this.keep, this.cut);
    return { settled, ...(entries ? { entries } : {}), allFailed: settled.every((s) => s.failed), first: settled[0] };
  }
}
