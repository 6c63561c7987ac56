/** Matching subscription display names to ids (pure), and the emulator's answer to the lookup query. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from '../src/errors.js';
import { matchSubscriptionNames, SUBSCRIPTIONS_QUERY, type VisibleSubscription } from '../src/sources/azure/subscription-names.js';
import { answerGraph, type EstateSettings } from './emulator/estate-api.js';
import { INVALID_QUERY, skipToken } from './emulator/graph-shapes.js';

const id = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

describe('matchSubscriptionNames', () => {
  it('finds the one subscription whose name equals the given one in any case, for any visible list (oracle: a plain scan)', () => {
    const name = fc.constantFrom('Prod', 'prod', 'PROD', 'Dev', 'dev', 'Test', 'Prod EU', 'prod eu');
    fc.assert(
      fc.property(fc.array(fc.record({ n: fc.integer({ min: 0, max: 5 }), name }), { maxLength: 8 }), name, (rows, wanted) => {
        const visible: VisibleSubscription[] = rows.map((r) => ({ subscriptionId: id(r.n), name: r.name }));
        const ids = new Set(visible.filter((v) => v.name.toUpperCase() === wanted.toUpperCase()).map((v) => v.subscriptionId));
        if (ids.size === 1) {
          expect(matchSubscriptionNames([wanted], visible)).toEqual(new Map([[wanted.toLowerCase(), [...ids][0]]]));
        } else {
          let err: unknown;
          try {
            matchSubscriptionNames([wanted], visible);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(DataError);
          const line = (err as DataError).problems[0]!;
          if (ids.size === 0) expect(line.startsWith(`no subscription named "${wanted}"`)).toBe(true);
          else expect(line).toBe(`${ids.size} subscriptions are named "${wanted}": ${[...ids].join(', ')}; give --subscription the id of the one you mean`);
        }
      }),
    );
  });

  it('the same subscription listed twice is one match, not an ambiguity', () => {
    const visible = [
      { subscriptionId: id(1), name: 'Prod' },
      { subscriptionId: id(1).toUpperCase(), name: 'PROD' },
    ];
    expect(matchSubscriptionNames(['prod'], visible)).toEqual(new Map([['prod', id(1)]]));
  });

  it('shows control characters in a name as escapes', () => {
    expect(() => matchSubscriptionNames(['a\u001b[2Jb'], [{ subscriptionId: id(1), name: 'zzzzzzzzzzzz' }])).toThrow(
      'no subscription named "a\\x1b[2Jb": the credential sees no subscription of that name (it sees 1 subscription); check the name, or give the subscription id',
    );
  });
});

describe('the emulator answers the subscription query as Resource Graph does', () => {
  const estate: EstateSettings = {
    resources: [],
    subscriptions: [
      { subscriptionId: id(1), name: 'One' },
      { subscriptionId: id(2), name: 'Two' },
      { subscriptionId: id(3), name: 'Three' },
    ],
    batchForbidden: new Set(),
    pageSize: 2,
    truncate: false,
    quota: 5,
    quotaResetSeconds: 5,
  };

  it('objectArray rows of subscriptionId and name, paged with $skipToken, with quota headers', () => {
    const first = answerGraph(estate, { query: SUBSCRIPTIONS_QUERY, options: { $top: 1000, resultFormat: 'objectArray' } }, 0);
    const token = skipToken(2);
    expect(first).toEqual({
      status: 200,
      headers: { 'x-ms-user-quota-remaining': '4', 'x-ms-user-quota-resets-after': '00:00:05' },
      body: {
        totalRecords: 3,
        count: 2,
        resultTruncated: 'false',
        $skipToken: token,
        data: [
          { subscriptionId: id(1), name: 'One' },
          { subscriptionId: id(2), name: 'Two' },
        ],
      },
    });
    const second = answerGraph(estate, { query: SUBSCRIPTIONS_QUERY, options: { $top: 1000, $skipToken: token } }, 1);
    expect(second.body).toEqual({ totalRecords: 3, count: 1, resultTruncated: 'false', data: [{ subscriptionId: id(3), name: 'Three' }] });
  });

  it('still refuses any other query', () => {
    for (const query of [
      'resourcecontainers | project subscriptionId, name',
      `${SUBSCRIPTIONS_QUERY}, tags`,
      "resources | where type =~ 'microsoft.web/sites'",
    ]) {
      const a = answerGraph(estate, { query }, 0);
      expect(a.status).toBe(400);
      // As Resource Graph answers a query it cannot run: a 400 whose details say why.
      expect(a.body).toEqual(INVALID_QUERY);
    }
  });
});
