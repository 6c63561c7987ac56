/** `alerts -o arm`: an ARM deployment template (JSON) of the alert rules. Pure. */
import type { TemplateInputs, Value } from './alert-resources.js';
import { alertResources, GENERATED_NOTE, isList, Ref, templateParams } from './alert-resources.js';

/** A literal string that ARM must not read as an expression: a leading "[" is written "[[". */
const literal = (s: string): string => (s.startsWith('[') ? `[${s}` : s);

function arm(v: Value): unknown {
  if (v instanceof Ref) return `[parameters('${v.param}')]`;
  if (typeof v === 'string') return literal(v);
  if (isList(v)) return v.map((x) => arm(x));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, arm(x)]));
  return v;
}

export function renderArmTemplate(inputs: TemplateInputs): string {
  const parameters = Object.fromEntries(
    templateParams(inputs).map((p) => [
      p.name,
      {
        type: p.type,
        ...(p.defaultValue !== undefined ? { defaultValue: typeof p.defaultValue === 'string' ? literal(p.defaultValue) : p.defaultValue.map(literal) } : {}),
        ...(p.defaultLocation ? { defaultValue: '[resourceGroup().location]' } : {}),
        metadata: { description: p.description },
      },
    ]),
  );
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { description: GENERATED_NOTE },
    parameters,
    resources: alertResources(inputs.plans).map(arm),
  };
  return `${JSON.stringify(template, null, 2)}\n`;
}
