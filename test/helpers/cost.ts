/**
 * A live run's JSON carries `cost` (the sum of the `cost` fields Azure's answers carried); a replay of
 * the saved answers sends nothing and has none. Comparisons of live and replayed output drop it.
 */
export function withoutCost(stdout: string): string {
  if (!stdout.startsWith('{')) return stdout;
  const { cost: _cost, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return JSON.stringify(rest, null, 2);
}
