/** `alerts -o bicep`: the alert rules as a Bicep file (the same resources as the ARM template). Pure. */
import type { TemplateInputs, Value } from './alert-resources.js';
import { alertResources, GENERATED_NOTE, isList, Ref, templateParams } from './alert-resources.js';

/** A Bicep string literal: single quotes; backslash, quote, "${" and control characters escaped. */
export function bicepString(s: string): string {
  const body = s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `'${body}'`;
}

const key = (k: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : bicepString(k));

function bicep(v: Value, indent: string): string {
  const inner = `${indent}  `;
  if (v instanceof Ref) return v.param;
  if (typeof v === 'string') return bicepString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isList(v)) return v.length === 0 ? '[]' : `[\n${v.map((x) => `${inner}${bicep(x, inner)}`).join('\n')}\n${indent}]`;
  const entries = Object.entries(v as Record<string, Value>);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, x]) => `${inner}${key(k)}: ${bicep(x, inner)}`).join('\n')}\n${indent}}`;
}

/** A Bicep symbolic name for an alert name (dashes are not allowed in identifiers). */
const symbol = (name: string): string => name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');

export function renderBicep(inputs: TemplateInputs): string {
  const lines = [`// ${GENERATED_NOTE}`, ''];
  for (const p of templateParams(inputs)) {
    lines.push(`@description(${bicepString(p.description)})`);
    const def =
      p.defaultLocation === true
        ? ' = resourceGroup().location'
        : p.defaultValue === undefined
          ? ''
          : ` = ${bicep(typeof p.defaultValue === 'string' ? p.defaultValue : [...p.defaultValue], '')}`;
    lines.push(`param ${p.name} ${p.type}${def}`, '');
  }
  for (const r of alertResources(inputs.plans)) {
    const { type, apiVersion, ...body } = r as Record<string, Value> & { type: string; apiVersion: string };
    lines.push(`resource ${symbol(body.name as string)} '${type}@${apiVersion}' = ${bicep(body, '')}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
