import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobSpecSchema, type JobSpecInput } from '#domain/jobs/job.schema';

const valid = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'train-resnet',
  image: 'public.ecr.aws/acme/trainer:1.2',
  command: ['python', 'train.py'],
  hardwareType: 'gpu-a10g-1x',
  maxRuntimeMinutes: 60,
  ...overrides,
});

/** The distinct paths of the issues, dotted, e.g. `env.0.value`. */
function issuePaths(input: unknown): string[] {
  const result = jobSpecSchema.safeParse(input);
  return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
}
const accepts = (input: unknown): boolean => jobSpecSchema.safeParse(input).success;

describe('job spec: the happy path', () => {
  it('accepts a minimal spec and fills the defaults', () => {
    const parsed = jobSpecSchema.parse(valid());
    expect(parsed).toMatchObject({ args: [], env: [], priority: 'normal' });
    expect(parsed.backend).toBeUndefined();
    expect(parsed.teamId).toBeUndefined();
  });

  it('accepts a full spec', () => {
    const full: JobSpecInput = {
      name: 'finetune',
      template: 'llama-lora',
      image: 'registry.example.com/team/img@sha256:abcdef',
      command: ['torchrun'],
      args: ['--epochs', '3'],
      env: [
        { name: 'HF_HOME', value: '/cache' },
        { name: 'HF_TOKEN', secretRef: 'quartermaster/acme/hf' },
      ],
      hardwareType: 'gpu-a100-8x',
      backend: 'kubernetes',
      teamId: 'vision',
      maxRuntimeMinutes: 120,
      priority: 'high',
    };
    expect(jobSpecSchema.parse(full)).toEqual(full);
  });
});

describe('job spec: no secrets in plain env (docs/architecture.md#the-job-lifecycle-and-its-writes, docs/architecture.md#security-notes)', () => {
  const SECRET_NAMES = [
    'HF_TOKEN',
    'DB_PASSWORD',
    'AWS_SECRET_ACCESS_KEY',
    'OPENAI_API_KEY',
    'WANDB_APIKEY',
    'SSH_PRIVATE_KEY',
    'LDAP_PASSWD',
    'GCP_CREDENTIALS',
    'github_token',
    'ClientSecret',
  ];

  it.each(SECRET_NAMES)('rejects %s with a plain value, pointing at the value', (name) => {
    const paths = issuePaths(
      valid({
        env: [
          { name: 'EPOCHS', value: '3' },
          { name, value: 'hunter2' },
        ],
      }),
    );
    expect(paths).toEqual(['env.1.value']);
  });

  it.each(SECRET_NAMES)('accepts %s as a secretRef', (name) => {
    expect(accepts(valid({ env: [{ name, secretRef: 'quartermaster/acme/x' }] }))).toBe(true);
  });

  it('never echoes the rejected value in the error', () => {
    const result = jobSpecSchema.safeParse(valid({ env: [{ name: 'HF_TOKEN', value: 'hf_abcdefSECRET' }] }));
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain('hf_abcdefSECRET');
  });

  it('accepts ordinary configuration as plain values', () => {
    for (const name of ['HF_HOME', 'BATCH_SIZE', 'CUDA_VISIBLE_DEVICES', 'NCCL_DEBUG', 'PYTHONUNBUFFERED']) {
      expect(accepts(valid({ env: [{ name, value: '1' }] })), name).toBe(true);
    }
  });

  // The heuristic matches whole words: Hugging Face's TOKENIZERS_PARALLELISM and generation limits stay plain.
  it('accepts ML settings whose names merely contain "token"', () => {
    for (const name of ['TOKENIZERS_PARALLELISM', 'MAX_NEW_TOKENS', 'MAX_TOKENS']) {
      expect(accepts(valid({ env: [{ name, value: 'false' }] })), name).toBe(true);
    }
  });

  it('flags secret-looking names by whole words', () => {
    for (const name of ['ACCESS_KEY', 'SESSION_KEY', 'AUTH_HEADER', 'GITHUB_PAT', 'AWS_SECRET_ACCESS_KEY', 'OPENAI_API_KEY', 'hf_token']) {
      expect(accepts(valid({ env: [{ name, value: 'x' }] })), name).toBe(false);
    }
  });

  it('rejects an entry with both a value and a secretRef, or with neither', () => {
    expect(accepts(valid({ env: [{ name: 'HF_HOME', value: '/x', secretRef: 'quartermaster/acme/x' }] }))).toBe(false);
    expect(accepts(valid({ env: [{ name: 'HF_HOME' }] }))).toBe(false);
    expect(accepts(valid({ env: [{ name: 'HF_HOME', secretRef: '' }] }))).toBe(false);
  });

  it('rejects names that are not environment variable names', () => {
    for (const name of ['', '1ABC', 'A-B', 'A B', 'A=B', 'x'.repeat(129)]) {
      expect(accepts(valid({ env: [{ name, value: '1' }] })), JSON.stringify(name)).toBe(false);
    }
    expect(accepts(valid({ env: [{ name: '_X1', value: '1' }] }))).toBe(true);
  });

  it('caps env at 100 entries and 4 KiB per value', () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `V${i}`, value: 'x' }));
    expect(accepts(valid({ env: entries(100) }))).toBe(true);
    expect(accepts(valid({ env: entries(101) }))).toBe(false);
    expect(accepts(valid({ env: [{ name: 'V', value: 'x'.repeat(4096) }] }))).toBe(true);
    expect(accepts(valid({ env: [{ name: 'V', value: 'x'.repeat(4097) }] }))).toBe(false);
  });
});

describe('job spec: strict shape', () => {
  it.each(['orgId', 'ownerId', 'state', 'priorityClass', 'estimatedCostUsd', 'unknownField'])(
    'rejects the unknown field %s (the org and owner never come from the body)',
    (field) => {
      expect(issuePaths(valid({ [field]: 'x' }))).toEqual(['']);
    },
  );

  it('rejects unknown fields inside env entries', () => {
    expect(accepts(valid({ env: [{ name: 'A', value: '1', extra: true }] }))).toBe(false);
  });
});

describe('job spec: maxRuntimeMinutes bounds the cost', () => {
  it('is required', () => {
    const { maxRuntimeMinutes: _omitted, ...rest } = valid();
    expect(issuePaths(rest)).toEqual(['maxRuntimeMinutes']);
  });

  it('is a whole number of minutes from 1 to 14 days', () => {
    for (const ok of [1, 60, 20_160]) expect(accepts(valid({ maxRuntimeMinutes: ok })), String(ok)).toBe(true);
    for (const bad of [0, -1, 20_161, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '30', null]) {
      expect(accepts(valid({ maxRuntimeMinutes: bad })), String(bad)).toBe(false);
    }
  });
});

describe('job spec: other bounds', () => {
  it('needs at least one command word, at most 64, and at most 256 args', () => {
    expect(accepts(valid({ command: [] }))).toBe(false);
    expect(accepts(valid({ command: Array(64).fill('x') }))).toBe(true);
    expect(accepts(valid({ command: Array(65).fill('x') }))).toBe(false);
    expect(accepts(valid({ args: Array(256).fill('x') }))).toBe(true);
    expect(accepts(valid({ args: Array(257).fill('x') }))).toBe(false);
  });

  it('accepts image references and refuses anything else', () => {
    for (const image of ['busybox', 'busybox:1.36', 'ghcr.io/org/img:tag', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/x@sha256:ab']) {
      expect(accepts(valid({ image })), image).toBe(true);
    }
    for (const image of ['', ' busybox', '-busybox', 'busybox; rm -rf /', 'busybox\nx', 'x'.repeat(513)]) {
      expect(accepts(valid({ image })), JSON.stringify(image)).toBe(false);
    }
  });

  it('accepts only the known backends and priorities', () => {
    for (const backend of ['ecs', 'kubernetes', 'local']) expect(accepts(valid({ backend })), backend).toBe(true);
    expect(accepts(valid({ backend: 'lambda' }))).toBe(false);
    for (const priority of ['low', 'normal', 'high']) expect(accepts(valid({ priority })), priority).toBe(true);
    expect(accepts(valid({ priority: 'urgent' }))).toBe(false);
  });
});

describe('job spec: name slug rules', () => {
  it('accepts lower-case slugs of 1 to 63 characters', () => {
    for (const name of ['a', '7', 'train-1', 'a-b-c', 'x'.repeat(63)]) expect(accepts(valid({ name })), name).toBe(true);
  });

  it('rejects anything else', () => {
    for (const name of ['', 'Train', '-a', 'a-', 'a_b', 'a.b', 'a b', 'é', 'x'.repeat(64)]) {
      expect(issuePaths(valid({ name })), JSON.stringify(name)).toEqual(['name']);
    }
  });

  it('applies the same rules to template and hardwareType', () => {
    expect(issuePaths(valid({ template: 'Bad_Name', hardwareType: 'GPU' })).sort()).toEqual(['hardwareType', 'template']);
  });

  it('accepts exactly the strings of the slug grammar (property)', () => {
    const slugChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
    const slug = fc
      .tuple(slugChar, fc.array(fc.oneof(slugChar, fc.constant('-')), { maxLength: 61 }), slugChar)
      .map(([first, middle, last]) => first + middle.join('') + last);
    fc.assert(fc.property(slug, (name) => accepts(valid({ name }))));
    const SLUG = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (name) => {
        expect(accepts(valid({ name }))).toBe(name.length <= 63 && SLUG.test(name));
      }),
    );
  });
});
