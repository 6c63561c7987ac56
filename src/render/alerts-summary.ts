/**
 * What `alerts` says on stderr: per rule `exact`, `approximate: <how>` or `not mapped: <why>`, with
 * the alert rules written for it, then one summary line. Pure.
 */
import type { ChalkInstance } from 'chalk';
import type { Mapping, RulePlan } from '../core/alert-plan.js';
import { safeText } from './safe.js';

export function mappingText(m: Mapping): string {
  return m.kind === 'exact' ? 'exact' : m.kind === 'approximate' ? `approximate: ${m.how}` : `not mapped: ${m.why}`;
}

export function renderAlertsSummary(plans: readonly RulePlan[], format: string, color: ChalkInstance): string {
  const lines = plans.map((p) => {
    const status = mappingText(p.mapping);
    const painted = p.mapping.kind === 'exact' ? color.green(status) : p.mapping.kind === 'approximate' ? color.yellow(status) : color.red(status);
    const written = p.alerts.length > 0 ? ` -> ${p.alerts.map((a) => a.name).join(', ')}` : '';
    return `rule "${safeText(p.rule.name)}": ${painted}${written}`;
  });
  const count = (k: Mapping['kind']): number => plans.filter((p) => p.mapping.kind === k).length;
  const alerts = plans.reduce((n, p) => n + p.alerts.length, 0);
  const rules = `${plans.length} ${plans.length === 1 ? 'rule' : 'rules'}`;
  lines.push(
    `alerts: ${rules}: ${count('exact')} exact, ${count('approximate')} approximate, ${count('not-mapped')} not mapped; ${alerts} alert ${alerts === 1 ? 'rule' : 'rules'} written (${format})`,
  );
  return `${lines.join('\n')}\n`;
}
