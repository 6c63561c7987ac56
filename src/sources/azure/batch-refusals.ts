/**
 * Subscriptions that refused the metrics batch API (401/403), and what becomes of their batch calls:
 * none is sent once its subscription has refused, not even a retry of one already sent (its every
 * attempt asks first), and each piece (resource, metric group, window) without an answer is read one
 * resource at a time exactly once: the pieces of the calls not being sent when the refusal comes at
 * once, those of a call being sent when it ends unanswered (refused or withdrawn). A call answered
 * after the refusal keeps its answer: its pieces are not read again.
 */
import type { MetricGroup } from './batch-plan.js';
import { type BatchCall, type ResourceCall, resourceCalls } from './call-plan.js';
import type { Pieces } from './estate-pieces.js';
import type { ResourceInfo } from './resource-info.js';

const subOf = (c: BatchCall): string => c.subscription.toLowerCase();
const pieceKey = (gi: number, wi: number, r: ResourceInfo): string => `${gi}/${wi}/${r.resource.id}`;

export class Refusals {
  private readonly refused = new Set<string>();
  private readonly sending = new Set<BatchCall>();

  constructor(
    private readonly resources: readonly ResourceInfo[],
    private readonly groups: readonly MetricGroup[],
    private readonly pieces: Pieces,
    /** Reads these pieces one resource at a time. */
    private readonly fallback: (calls: ResourceCall[]) => void,
    /** Says once that the subscription refused, and why ("HTTP 403 AuthorizationFailed"). */
    private readonly note: (subscription: string, why: string) => void,
  ) {}

  /** Whether the call may be sent: not once its subscription has refused. */
  open(c: BatchCall): boolean {
    return !this.refused.has(subOf(c));
  }

  /** Sends the call; `go`, for every attempt to ask first, says whether it may still be sent. */
  async send<T>(c: BatchCall, send: (go: () => boolean) => Promise<T>): Promise<T> {
    this.sending.add(c);
    try {
      return await send(() => this.open(c));
    } finally {
      this.sending.delete(c);
    }
  }

  /** The call ended unanswered: refused (`why`), or withdrawn because its subscription had refused. */
  unanswered(c: BatchCall, why?: string): void {
    const sub = subOf(c);
    if (this.refused.has(sub) || why === undefined) {
      this.fallback(this.pieces.missing(c.resources.map((resource) => ({ resource, gi: c.gi, wi: c.wi }))));
      return;
    }
    this.refused.add(sub);
    this.note(sub, why);
    const busy = new Set<string>();
    for (const s of this.sending) if (subOf(s) === sub) for (const r of s.resources) busy.add(pieceKey(s.gi, s.wi, r));
    const mine = this.resources.filter((r) => r.resource.subscription.toLowerCase() === sub);
    this.fallback(this.pieces.missing(resourceCalls(mine, this.groups)).filter((x) => !busy.has(pieceKey(x.gi, x.wi, x.resource))));
  }
}
