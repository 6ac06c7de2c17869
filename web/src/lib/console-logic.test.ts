import { describe, expect, it } from 'vitest';
import { fieldError, toShownError } from '../api/errors';
import { parseConfig } from '../config';
import { joinCommand, splitCommand } from './argv';
import { fillDays, lastDays } from './dates';
import { buildBody, type FieldSpec } from './form-body';
import { estimateBasisText, estimateCost, formatDuration, formatRelative, jobStatusKind } from './format';
import { parseMemberships } from './memberships';
import { canSee, pageFor, PAGES, visiblePages } from './navigation';
import { onboardingSteps } from './onboarding';
import { renewalDelay, retryDelay } from './renewal';
import { waitForTestDelivery } from './channels';

/** The console's logic that is not layout: pure functions, tested without a browser. */
describe('command lines', () => {
  it('splits words as a shell does, without expanding anything', () => {
    expect(splitCommand(`sh -c 'echo hello  world'`).words).toEqual(['sh', '-c', 'echo hello  world']);
    expect(splitCommand(`python train.py --name "a \\"b\\"" x\\ y`).words).toEqual(['python', 'train.py', '--name', 'a "b"', 'x y']);
    expect(splitCommand(`echo '' $HOME`).words).toEqual(['echo', '', '$HOME']);
    expect(splitCommand(`echo 'open`).error).toMatch(/Unclosed single quote/);
  });

  it('joins words back so that splitting them again gives the same list', () => {
    for (const words of [['sh', '-c', 'echo hi'], ['a', '', "it's"], ['x\\y', '$1']]) {
      expect(splitCommand(joinCommand(words)).words).toEqual(words);
    }
  });
});

describe('formatting', () => {
  it('estimates cost as max runtime × price, to the cent', () => {
    expect(estimateCost(90, 1.2)).toBe(1.8);
    expect(estimateCost(0, 5)).toBe(0);
    expect(estimateCost(Number.NaN, 5)).toBe(0);
  });

  it('reads durations and relative times at a glance', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(65 * 60_000)).toBe('1h 05m');
    expect(formatDuration(50 * 3_600_000)).toBe('2d 2h');
    expect(formatRelative('2026-01-01T00:10:00Z', Date.parse('2026-01-01T00:00:00Z'))).toBe('in 10m');
    expect(formatRelative('2026-01-01T00:00:00Z', Date.parse('2026-01-01T02:00:00Z'))).toBe('2h 00m ago');
  });

  it('gives every job state a status look', () => {
    expect(jobStatusKind('succeeded')).toBe('success');
    expect(jobStatusKind('denied')).toBe('error');
    expect(jobStatusKind('pending_approval')).toBe('warning');
    expect(jobStatusKind('queued')).toBe('pending');
  });
});

describe('API errors', () => {
  const envelope = { error: { code: 'validation_failed', message: 'Invalid request', details: { fields: [{ field: 'spec.image', message: 'Required' }, { field: 'limit', message: 'Above the org ceiling' }] } } };

  it('keeps the message and the per-field messages of the envelope', () => {
    const shown = toShownError(envelope, 400);
    expect(shown).toEqual({ code: 'validation_failed', message: 'Invalid request', fields: { 'spec.image': 'Required', limit: 'Above the org ceiling' } });
    expect(fieldError(shown, 'limit')).toBe('Above the org ceiling');
    expect(fieldError(shown, 'spec')).toBe('Required');
    expect(fieldError(shown, 'name')).toBeUndefined();
  });

  it('says something useful without an envelope', () => {
    expect(toShownError(undefined, 503).message).toMatch(/HTTP 503/);
    expect(toShownError({ error: { code: 'unavailable', message: '' } }, 503).message).toMatch(/temporarily unavailable/);
    expect(toShownError(undefined).code).toBe('network');
  });
});

describe('form bodies', () => {
  const fields: FieldSpec[] = [
    { key: 'name', label: 'Name', type: 'text' },
    { key: 'limit', label: 'Limit', type: 'number' },
    { key: 'period', label: 'Period', type: 'select', optional: true },
    { key: 'spec.command', label: 'Command', type: 'list', optional: true },
    { key: 'spec.env', label: 'Env', type: 'json', optional: true },
    { key: 'enabled', label: 'Enabled', type: 'checkbox' },
  ];

  it('parses numbers, lists and JSON, nests dotted keys and leaves empty optional fields out', () => {
    const built = buildBody(fields, { name: ' gpu ', limit: '2.5', period: '', 'spec.command': 'python, train.py', 'spec.env': '[{"name":"A","value":"1"}]', enabled: true });
    expect(built.error).toBeUndefined();
    expect(built.body).toEqual({ name: 'gpu', limit: 2.5, spec: { command: ['python', 'train.py'], env: [{ name: 'A', value: '1' }] }, enabled: true });
  });

  it('reports missing values, bad numbers and bad JSON at their fields', () => {
    const built = buildBody(fields, { name: '', limit: 'ten', 'spec.env': '{', enabled: false });
    expect(built.error?.fields).toEqual({ name: 'Name is required', limit: 'Limit must be a number', 'spec.env': 'Env is not valid JSON' });
  });

  it('reads team memberships with their role', () => {
    expect(parseMemberships('vision:lead, nlp ,')).toEqual([
      { teamId: 'vision', role: 'lead' },
      { teamId: 'nlp', role: 'member' },
    ]);
  });
});

describe('navigation', () => {
  const viewer = { permissions: ['job.view.own', 'config.view'], platformAdmin: false };
  const admin = { permissions: ['job.view.own', 'job.submit', 'admin.users', 'admin.config', 'admin.audit', 'org.view', 'job.view.all', 'config.view'], platformAdmin: false };

  it('shows each role only the pages its permissions can use', () => {
    const paths = visiblePages(viewer).map((page) => page.path);
    expect(paths).toContain('/');
    expect(paths).not.toContain('/submit');
    // Every signed-in user chooses their own email notifications (no admin.config).
    expect(paths).toContain('/notifications');
    expect(paths.some((path) => path.startsWith('/admin'))).toBe(false);
    expect(visiblePages(admin).map((page) => page.path)).toEqual(expect.arrayContaining(['/submit', '/admin/users', '/admin/audit']));
  });

  it('keeps platform-only pages from org admins', () => {
    const page = { path: '/x', label: 'x', section: 'Administration' as const, anyOf: ['admin.config'], platformOnly: true };
    expect(canSee(admin, page)).toBe(false);
    expect(canSee({ ...admin, platformAdmin: true }, page)).toBe(true);
  });

  it('maps a job page to My jobs, and unknown paths to nothing', () => {
    expect(pageFor('/jobs/01ABC')).toBe(PAGES[0]);
    expect(pageFor('/nowhere')).toBeUndefined();
  });
});

describe('runtime config and onboarding', () => {
  it('accepts OIDC and LDAP providers and refuses a config without an API URL', () => {
    const config = parseConfig({ apiUrl: 'https://api.example.com/', providers: [{ type: 'oidc', id: 'okta', label: 'Okta', authority: 'https://x', clientId: 'c' }, { type: 'ldap', id: 'corp', label: 'Corp' }] });
    expect(config.apiUrl).toBe('https://api.example.com');
    expect(config.providers.map((provider) => provider.type)).toEqual(['oidc', 'ldap']);
    expect(() => parseConfig({ providers: [] })).toThrow(/apiUrl/);
    expect(() => parseConfig({ apiUrl: 'https://a', providers: [{ type: 'saml', id: 'x', label: 'x' }] })).toThrow(/providers\[0\]/);
  });

  it('ticks off onboarding steps from what exists', () => {
    const steps = onboardingSteps({ providers: 1, teams: 0, quotas: 0, jobs: 0 });
    expect(steps.map((step) => step.done)).toEqual([true, false, false, false]);
  });

  it('fills quiet days with zero so charts keep their time axis', () => {
    const range = lastDays(3, new Date('2026-03-10T12:00:00Z'));
    expect(range).toEqual({ from: '2026-03-08', to: '2026-03-10' });
    const days = fillDays(range, [{ day: '2026-03-09', n: 2 }], (day) => ({ day, n: 0 }));
    expect(days).toEqual([
      { day: '2026-03-08', n: 0 },
      { day: '2026-03-09', n: 2 },
      { day: '2026-03-10', n: 0 },
    ]);
  });
});

describe('notification channel form', () => {
  it('sends recipients for email and a URL otherwise, with one subscription', async () => {
    const { channelBody } = await import('./channels');
    expect(channelBody({ kind: 'email', name: 'ops', target: 'a@x.io, b@x.io', events: 'job.failed, approval.*', teams: '' })).toEqual({
      kind: 'email',
      name: 'ops',
      to: ['a@x.io', 'b@x.io'],
      subscriptions: [{ events: ['job.failed', 'approval.*'] }],
    });
    expect(channelBody({ kind: 'webhook', name: 'ci', target: ' https://hooks.example.com/qm ', secret: 'whsec_abc', events: '*', teams: 'vision' })).toEqual({
      kind: 'webhook',
      name: 'ci',
      url: 'https://hooks.example.com/qm',
      secret: 'whsec_abc',
      subscriptions: [{ events: ['*'], teamIds: ['vision'] }],
    });
  });

  it('tells a delivery in words: outcome, HTTP status, latency, why it failed', async () => {
    const { deliveryText } = await import('./channels');
    expect(deliveryText({ status: 'delivered', responseCode: 200, latencyMs: 311.6, attempt: 1 })).toBe('delivered · HTTP 200 · 312 ms');
    expect(deliveryText({ status: 'failed', responseCode: 503, latencyMs: 40, attempt: 3, lastError: 'target answered 503' })).toBe('failed · HTTP 503 · 40 ms · attempt 3 · target answered 503');
    expect(deliveryText({ status: 'sending' })).toBe('sending');
  });

  it('edits a channel without resending its write-only URL or secret', async () => {
    const { channelBody, channelValues } = await import('./channels');
    const values = channelValues({ kind: 'slack', name: 'ops', enabled: true, subscriptions: [{ events: ['job.failed'], teamIds: ['vision'] }] });
    expect(values).toEqual({ kind: 'slack', name: 'ops', enabled: true, target: '', events: 'job.failed', teams: 'vision' });
    expect(channelBody({ ...values, enabled: false })).toEqual({ kind: 'slack', name: 'ops', enabled: false, subscriptions: [{ events: ['job.failed'], teamIds: ['vision'] }] });
  });
});

describe('session renewal', () => {
  const minute = 60_000;
  it('renews a minute before a long-lived token expires', () => {
    expect(renewalDelay(0, 15 * minute, 0)).toBe(14 * minute);
    expect(renewalDelay(0, 60 * minute, 30 * minute)).toBe(29 * minute);
  });
  it('renews a short-lived token after 80 % of its lifetime, and never sooner than a second from now', () => {
    expect(renewalDelay(0, 20_000, 0)).toBe(16_000);
    expect(renewalDelay(0, 20_000, 19_000)).toBe(1_000);
  });
  it('retries a failed renewal only while the token is still good', () => {
    expect(retryDelay(60_000, 0)).toBe(10_000);
    expect(retryDelay(10_000, 0)).toBeUndefined();
  });
});

describe('estimated start', () => {
  it('says what an estimate rests on, in words, with the detail when the API gives one', () => {
    expect(estimateBasisText({ basis: 'history' })).toBe('from recent runs');
    expect(estimateBasisText({ basis: 'period_reset', detail: 'cost_usd of team vision resets at 00:00 UTC' })).toBe("at the budget's reset: cost_usd of team vision resets at 00:00 UTC");
    expect(estimateBasisText({ basis: 'max runtime of the 2 active jobs holding the GPU slots' })).toBe('max runtime of the 2 active jobs holding the GPU slots');
  });
});

describe('channel tests (asynchronous: the console polls the delivery log)', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };

  it('waits while the record is missing or sending, and returns it once it has an outcome', async () => {
    const pages = [[], [{ eventId: 'e1', status: 'sending' }], [{ eventId: 'e0', status: 'delivered' }, { eventId: 'e1', status: 'failed' }]];
    let reads = 0;
    const outcome = await waitForTestDelivery(async () => ({ items: pages[Math.min(reads++, pages.length - 1)] ?? [] }), 'e1', clock());
    expect(outcome.delivery).toEqual({ eventId: 'e1', status: 'failed' });
    expect(reads).toBe(3);
  });

  it('gives up after the timeout with no delivery', async () => {
    let reads = 0;
    const outcome = await waitForTestDelivery(async () => ((reads += 1), { items: [{ eventId: 'other', status: 'delivered' }] }), 'e1', { ...clock(), intervalMs: 1_000, timeoutMs: 5_000 });
    expect(outcome).toEqual({});
    expect(reads).toBe(6);
  });
});
