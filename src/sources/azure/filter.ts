/** The `$filter` of a Metrics - List request: OData equality on REST dimension names. */

/** An OData string literal: single quotes, a quote inside doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface FilterTerm {
  /** REST dimension name. */
  readonly dimension: string;
  /** Accepted values (ORed); undefined splits by the dimension (`eq '*'`). */
  readonly values?: readonly string[];
}

/** `(Operation eq 'a' or Operation eq 'b') and StatusCodeClass eq '*'`; '' when there are no terms. */
export function buildFilter(terms: readonly FilterTerm[]): string {
  return terms
    .map((t) => {
      if (t.values === undefined) return `${t.dimension} eq '*'`;
      const eqs = t.values.map((v) => `${t.dimension} eq ${odataString(v)}`);
      return eqs.length === 1 ? eqs[0]! : `(${eqs.join(' or ')})`;
    })
    .join(' and ');
}
