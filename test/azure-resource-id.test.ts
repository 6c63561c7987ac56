import { describe, expect, it } from 'vitest';
import { buildResourceId, parseResourceId } from '../src/sources/azure/resource-id.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-111122223333';
const ID = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.Communication/CommunicationServices/acs-prod`;
const SHAPE = 'expected /subscriptions/<subscription-guid>/resourceGroups/<group>/providers/Microsoft.Communication/CommunicationServices/<name>';

describe('parseResourceId', () => {
  it('accepts the documented shape and strips the leading slash for the SDK', () => {
    expect(parseResourceId(ID)).toEqual({
      id: ID.slice(1),
      subscription: SUB,
      resourceGroup: 'rg-prod',
      name: 'acs-prod',
    });
  });

  it('is case-insensitive for the fixed segments and normalizes them; no leading or trailing slash needed', () => {
    const lower = `subscriptions/${SUB}/resourcegroups/rg-prod/providers/microsoft.communication/communicationservices/acs-prod/`;
    expect(parseResourceId(lower).id).toBe(ID.slice(1));
  });

  it('accepts resource group names with dots, parentheses and underscores', () => {
    expect(parseResourceId(ID.replace('rg-prod', 'My_RG.(west)')).resourceGroup).toBe('My_RG.(west)');
  });

  const bad: [string, string][] = [
    ['', 'it is empty'],
    [`${ID}?api-version=1`, 'it contains "?"'],
    [`${ID}#x`, 'it contains "#"'],
    [ID.replace('acs-prod', 'acs%2fprod'), 'it contains "%"'],
    [ID.replace('rg-prod', 'rg prod'), 'it contains whitespace'],
    [`${ID}\n`, 'it contains whitespace'],
    [ID.replace('rg-prod', 'rg\u0007'), 'it contains a control character'],
    [ID.replace('rg-prod', '..'), 'it contains ".."'],
    [ID.replace('/resourceGroups', '//resourceGroups'), 'it has an empty segment ("//")'],
    ['/providers/Microsoft.Communication/CommunicationServices/x', 'it does not start with /subscriptions/<subscription-guid>'],
    [ID.replace(SUB, 'my-subscription'), 'the subscription "my-subscription" is not a GUID'],
    [ID.replace('resourceGroups', 'groups'), 'the subscription is not followed by /resourceGroups/<group>'],
    [
      ID.replace('Microsoft.Communication/CommunicationServices', 'Microsoft.Storage/storageAccounts'),
      'it names a Microsoft.Storage/storageAccounts resource, not Microsoft.Communication/CommunicationServices',
    ],
    [`${ID}/providers/Microsoft.Insights/metrics`, 'it goes on after the resource name ("/providers/Microsoft.Insights/metrics")'],
    [ID.replace('acs-prod', 'acs_prod!'), '"acs_prod!" is not a valid Communication Services resource name'],
    [ID.replace('/acs-prod', ''), 'the resource name is missing'],
  ];
  for (const [input, why] of bad) {
    it(`refuses ${JSON.stringify(input).slice(0, 60)}: ${why}`, () => {
      expect(() => parseResourceId(input)).toThrow(`: ${why}; ${SHAPE}`);
    });
  }

  it('shows the bad id in the message', () => {
    expect(() => parseResourceId('/subscriptions/abc')).toThrow(`invalid resource id "/subscriptions/abc": the subscription "abc" is not a GUID; ${SHAPE}`);
  });
});

describe('buildResourceId', () => {
  it('builds the id from its parts', () => {
    expect(buildResourceId(SUB, 'rg-prod', 'acs-prod').id).toBe(ID.slice(1));
  });
  it('refuses parts with a slash, "..", or a subscription that is not a GUID', () => {
    expect(() => buildResourceId(SUB, 'rg/x', 'a')).toThrow(
      'invalid --resource-group "rg/x": expected a single name without "/", "..", "?", "#", "%" or spaces',
    );
    expect(() => buildResourceId(SUB, 'rg', '..')).toThrow('invalid --name "..": expected a single name');
    expect(() => buildResourceId('sub', 'rg', 'a')).toThrow('invalid --subscription "sub": expected a subscription id (a GUID)');
  });
});
