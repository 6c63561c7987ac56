import { describe, expect, it } from 'vitest';
import { run } from './helpers/io.js';

describe('acs-metrics catalog', () => {
  it('lists all ten metrics with their REST names', async () => {
    const r = await run(['catalog']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const rest of [
      'APIRequestChat',
      'APIRequestSMS',
      'APIRequestAuthentication',
      'APIRequestCallAutomation',
      'ApiRequestRouter',
      'APIRequestNetworkTraversal',
      'ApiRequestRooms',
      'ApiRequests',
      'APIRequestsAdvancedMessaging',
      'APIRequestCallRecording',
    ]) {
      expect(r.stdout).toContain(rest);
    }
    expect(r.stdout).toContain('Network Traversal API Requests (legacy)');
  });

  it('shows one metric with its operations and REST dimension names', async () => {
    const r = await run(['catalog', 'Job Router API Requests']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OperationName');
    expect(r.stdout).toContain('StatusCodeSubClass');
    expect(r.stdout).toContain('DeleteClassificationPolicy');
    expect(r.stdout).toContain('Bad Route');
  });

  it('rejects an unknown metric with a suggestion and exit 2', async () => {
    const r = await run(['catalog', 'chta']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: unknown metric "chta": did you mean chat? Valid metrics: chat, sms, auth, callautomation, router, networktraversal, rooms, email, messaging, recording, callbacks, email-delivery, email-engagement\n',
    );
  });

  it('prints JSON with the documented shape', async () => {
    const r = await run(['catalog', 'rooms', '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.badRouteOperation).toBe('Bad Route');
    expect(doc.metrics).toHaveLength(1);
    expect(doc.metrics[0].rest).toBe('ApiRequestRooms');
    expect(doc.metrics[0].operations.map((o: { name: string }) => o.name)).toContain('AddParticipants');
    expect(doc.metrics[0].dimensions[2]).toEqual({ name: 'StatusSubClass', rest: 'StatusCodeClass', description: expect.any(String) });
  });

  it('finds operations by fragment across metrics', async () => {
    const r = await run(['catalog', '--operation', 'participants', '--json']);
    const names = JSON.parse(r.stdout).operations.map((o: { metric: string; name: string }) => `${o.metric}:${o.name}`);
    expect(names).toEqual([
      'chat:ListChatThreadParticipants',
      'chat:AddChatThreadParticipants',
      'callautomation:Add Participants',
      'callautomation:Remove Participants',
      'callautomation:Get Participants',
      'rooms:AddParticipants',
      'rooms:RemoveParticipants',
      'rooms:GetParticipants',
      'rooms:UpdateParticipants',
    ]);
  });

  it('suggests a fragment when nothing matches', async () => {
    const r = await run(['catalog', '--operation', 'crate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('note: no operation name contains "crate"; did you mean create or chat?\n');
  });

  it('turns an unknown option into a one-line usage error', async () => {
    const r = await run(['catalog', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown option '--bogus'\n");
  });

  it('prints help with examples on stdout', async () => {
    const r = await run(['catalog', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('acs-metrics catalog --operation create');
  });
});

describe('catalog -o, as every command spells its format', () => {
  it('-o json is --json, for the catalog, one metric and an operation search', async () => {
    for (const args of [[], ['router'], ['--operation', 'create']]) {
      const a = await run(['catalog', ...args, '-o', 'json']);
      const b = await run(['catalog', ...args, '--json']);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(JSON.parse(a.stdout)).toBeTruthy();
    }
    const table = await run(['catalog', 'router', '--output', 'TABLE']);
    expect(table.stdout).toBe((await run(['catalog', 'router'])).stdout);
  });

  it('an unknown format, or one that --json contradicts, is exit 2 in one line', async () => {
    const bad = await run(['catalog', '-o', 'yaml']);
    expect([bad.code, bad.stdout, bad.stderr]).toEqual([2, '', 'error: invalid --output "yaml": expected one of table, json\n']);
    const both = await run(['catalog', '-o', 'table', '--json']);
    expect([both.code, both.stdout, both.stderr]).toEqual([2, '', 'error: --json and --output table disagree: give one of them\n']);
  });
});
