import { beforeAll, describe, expect, it } from 'vitest';
import { actorId, seedPeople } from '#test-support/authz-fixtures';
import { createAuthzWorld, ORGS, type AuthzWorld } from '#test-support/authz-world';

/**
 * Job templates and resource rules through the real jobs, templates and admin handlers: submission from a
 * template, the rules of docs/permissions.md enforced at submission with a 403 naming the rule, and the audit
 * entries those requests leave.
 */
let world: AuthzWorld;
const admin = actorId('admin');
const researcher = actorId('researcher');
const lead = actorId('lead');

beforeAll(async () => {
  world = await createAuthzWorld();
  await seedPeople(world);
  const spec = { image: 'busybox', command: ['sh', '-c', 'echo from-template'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 };
  for (const name of ['team-x-a', 'prod-1']) {
    expect((await world.call(researcher, 'createTemplate', { body: { name, description: 'demo', spec } })).status).toBe(201);
  }
}, 60_000);

describe('submitting from a job template', () => {
  it('fills the spec from the template, the submission overriding what it states', async () => {
    const plain = await world.call(researcher, 'submitJob', { body: { name: 'from-tpl', template: 'team-x-a' } });
    expect(plain.status).toBe(201);
    expect(plain.json).toMatchObject({
      name: 'from-tpl',
      image: 'busybox',
      command: ['sh', '-c', 'echo from-template'],
      hardwareType: 'cpu-small',
      maxRuntimeMinutes: 5,
    });
    const overridden = await world.call(researcher, 'submitJob', {
      body: { name: 'from-tpl', template: 'team-x-a', hardwareType: 'gpu-a10g-1x', maxRuntimeMinutes: 7 },
    });
    expect(overridden.json).toMatchObject({ hardwareType: 'gpu-a10g-1x', maxRuntimeMinutes: 7, image: 'busybox' });
  });

  it('names every missing field when neither the template nor the submission supplies it', async () => {
    const bare = await world.call(researcher, 'submitJob', { body: { name: 'bare' } });
    expect(bare.status).toBe(400);
    expect(bare.json.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'body.command',
      'body.hardwareType',
      'body.image',
      'body.maxRuntimeMinutes',
    ]);
    // An unknown template answers like another org's: 404 naming the field.
    const ghost = await world.call(researcher, 'submitJob', { body: { name: 'ghost', template: 'no-such-template' } });
    expect([ghost.status, ghost.json.error.details.fields[0].field]).toEqual([404, 'body.template']);
  });

  it('lets the owner edit a template, others only with config.edit.all', async () => {
    const replace = (caller: string) =>
      world.call(caller, 'replaceTemplate', {
        params: { name: 'prod-1' },
        body: { description: 'edited', spec: { image: 'busybox', command: ['true'], hardwareType: 'cpu-small', maxRuntimeMinutes: 5 } },
      });
    expect((await replace(lead)).status).toBe(403);
    expect((await replace(researcher)).status).toBe(200);
    expect((await replace(admin)).status).toBe(200);
    expect((await world.call(actorId('viewer'), 'getTemplate', { params: { name: 'prod-1' } })).json.description).toBe('edited');
  });
});

describe('resource rules at submission', () => {
  it('researcher `config team-x-* allow`, `config * deny`: team-x-a yes, prod-1 no, with a 403 naming the rule', async () => {
    const allow = await world.call(admin, 'createResourceRule', {
      body: { type: 'config', pattern: 'team-x-*', action: 'allow', level: 'researcher' },
    });
    const deny = await world.call(admin, 'createResourceRule', {
      body: { type: 'config', pattern: '*', action: 'deny', level: 'researcher', description: 'only team-x templates' },
    });
    expect([allow.status, deny.status]).toEqual([201, 201]);

    expect((await world.call(researcher, 'submitJob', { body: { name: 'ok', template: 'team-x-a' } })).status).toBe(201);
    const refused = await world.call(researcher, 'submitJob', { body: { name: 'no', template: 'prod-1' } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toContain(deny.json.id);
    expect(refused.json.error.details).toMatchObject({
      field: 'body.template',
      rule: { id: deny.json.id, type: 'config', pattern: '*', action: 'deny' },
    });
    // Rules for a level leave other levels alone.
    expect((await world.call(lead, 'submitJob', { body: { name: 'lead-ok', template: 'prod-1' } })).status).toBe(201);

    // The refusal is in the audit trail, with the rule.
    const audit = await world.call(admin, 'listAuditEntries', { query: { actor: researcher, action: 'request.denied', limit: '5' } });
    const entry = audit.json.items.find((item: { details: { operationId?: string } }) => item.details.operationId === 'submitJob');
    expect(entry).toMatchObject({
      outcome: 'denied',
      orgId: ORGS.acme,
      sourceIp: '10.1.2.3',
      details: { status: 403, error: { code: 'forbidden', rule: { id: deny.json.id } } },
    });

    for (const rule of [allow, deny])
      expect((await world.call(admin, 'deleteResourceRule', { params: { ruleId: rule.json.id } })).status).toBe(204);
    expect((await world.call(researcher, 'submitJob', { body: { name: 'again', template: 'prod-1' } })).status).toBe(201);
  });

  it('hardware allow-list: researchers may use cpu-* only; leads anything; backends likewise', async () => {
    const cpu = await world.call(admin, 'createResourceRule', {
      body: { type: 'hardware', pattern: 'cpu-*', action: 'allow', level: 'researcher' },
    });
    const job = { name: 'hw', image: 'busybox', command: ['true'], maxRuntimeMinutes: 5 };
    expect((await world.call(researcher, 'submitJob', { body: { ...job, hardwareType: 'cpu-small' } })).status).toBe(201);
    const gpu = await world.call(researcher, 'submitJob', { body: { ...job, hardwareType: 'gpu-a10g-1x' } });
    expect(gpu.status).toBe(403);
    expect(gpu.json.error.message).toMatch(/No resource rule allows hardware type "gpu-a10g-1x"/);
    expect(gpu.json.error.details.rules).toEqual([expect.objectContaining({ id: cpu.json.id })]);
    // The dry run refuses exactly what a submit would.
    const explained = await world.call(researcher, 'explainJob', { body: { ...job, hardwareType: 'gpu-a10g-1x' } });
    expect(explained.json).toMatchObject({ verdict: 'deny', reasons: [expect.stringContaining(cpu.json.id)] });
    expect((await world.call(lead, 'submitJob', { body: { ...job, hardwareType: 'gpu-a10g-1x' } })).status).toBe(201);

    const noLocal = await world.call(admin, 'createResourceRule', {
      body: { type: 'provider', pattern: 'local', action: 'deny', teamId: 'vision' },
    });
    expect((await world.call(lead, 'submitJob', { body: { ...job, hardwareType: 'cpu-small' } })).json.error.details.rule.id).toBe(
      noLocal.json.id,
    );
    for (const rule of [cpu, noLocal]) await world.call(admin, 'deleteResourceRule', { params: { ruleId: rule.json.id } });
  });
});

describe('audit entries of mutations', () => {
  it('records who changed what, from where, without the request body', async () => {
    const created = await world.call(researcher, 'createTemplate', {
      body: { name: 'audited', spec: { image: 'busybox', env: [{ name: 'MODE', value: 'very-specific-value' }] } },
    });
    expect(created.status).toBe(201);
    const page = await world.call(admin, 'listAuditEntries', { query: { target: 'template/audited' } });
    expect(page.json.items).toHaveLength(1);
    expect(page.json.items[0]).toMatchObject({
      actor: researcher,
      action: 'createTemplate',
      target: 'template/audited',
      outcome: 'success',
      sourceIp: '10.1.2.3',
    });
    expect(JSON.stringify(page.json.items[0])).not.toContain('very-specific-value');

    const failed = await world.call(researcher, 'createTemplate', { body: { name: 'audited', spec: {} } });
    expect(failed.status).toBe(409);
    const failures = await world.call(admin, 'listAuditEntries', { query: { actor: researcher, action: 'createTemplate' } });
    expect(failures.json.items[0]).toMatchObject({ outcome: 'failure', details: { status: 409, error: { code: 'conflict' } } });
  });

  it("shows a lead only their teams' entries", async () => {
    // `outsider` (team nlp) is refused something: an entry a vision lead must not see, an admin must.
    expect((await world.call('outsider', 'listUsers', { params: { orgId: ORGS.acme } })).status).toBe(403);
    const all = await world.call(admin, 'listAuditEntries', { query: { actor: 'outsider' } });
    expect(all.json.items).toHaveLength(1);
    const page = await world.call(lead, 'listAuditEntries', { query: { limit: '100' } });
    expect(page.status).toBe(200);
    expect(page.json.items.length).toBeGreaterThan(0);
    expect(page.json.items.some((item: { actor: string }) => item.actor === 'outsider')).toBe(false);
  });
});
