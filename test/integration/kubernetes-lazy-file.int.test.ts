import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { DEFAULT_GPU_HARDWARE } from '#domain/catalog/default-catalog';
import { KUBERNETES_ADAPTERS } from '#lib/constructs/bundling-options';
import { REPO_ROOT } from '#scripts/bench/bench-env';
import { bundleFunction, type BuiltBundle } from '#scripts/bench/bundle';
import { createTestTable, localEndpoints, type TestTable } from '#test-support/integration-env';
import { kubeJob } from '#test-support/kube-fixture';

const execFileAsync = promisify(execFile);

/** Runs in a plain `node` (no tsx, no vitest): imports the bundle, hands its handler one SQS record, prints the answer. */
const INVOKE = `
const [url, body] = process.argv.slice(1);
const { handler } = await import(url);
const result = await handler({ Records: [{ messageId: 'm1', body }] });
process.stdout.write('RESULT ' + JSON.stringify(result) + '\\n', () => process.exit(0));
`;

/**
 * The deployed layout of a function that loads the Kubernetes adapters on first use: `index.mjs` built with
 * the Lambda esbuild settings (as CDK and the bench build it) and `kube-adapters.mjs` beside it, run in a
 * plain Node process against DynamoDB Local. No Kubernetes API server is involved: the job names a cluster that
 * is not registered, which the adapters refuse before connecting. That refusal is a `BackendLaunchError` made
 * by the Kubernetes file's own copy of the class; the dispatcher in `index.mjs` must still see it as one and
 * fail the job, instead of handing the message back to SQS as if the error were transient.
 */
describe('the dispatcher bundle with the Kubernetes adapters in their own file (DynamoDB Local, no API server)', () => {
  let outDir: string;
  let bundle: BuiltBundle;
  let table: TestTable;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'qm-lazy-bundle-'));
    bundle = await bundleFunction(REPO_ROOT, 'functions/dispatcher/dispatcher.handler.ts', outDir);
    await bundleFunction(REPO_ROOT, KUBERNETES_ADAPTERS.entry, join(outDir, 'lazy'));
    await copyFile(join(outDir, 'lazy', 'index.mjs'), join(outDir, KUBERNETES_ADAPTERS.file)); // as CDK's after-bundling step places it
    table = await createTestTable();
    const gpu = DEFAULT_GPU_HARDWARE.find((hardware) => hardware.id === 'gpu-a10g-1x');
    if (!gpu) throw new Error('default catalog has no gpu-a10g-1x');
    await new DynamoHardwareCatalog(table.doc, table.tableName).put({ ...gpu });
  }, 60_000);

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('keeps the client out of index.mjs and imports the file beside it', async () => {
    expect(bundle.lazyFiles).toEqual([KUBERNETES_ADAPTERS]);
    const main = await readFile(bundle.file, 'utf8');
    expect(main).toContain(`import("./${KUBERNETES_ADAPTERS.file}")`);
    // A path template of the generated BatchV1Api: present wherever the client is bundled.
    expect(main).not.toContain('/apis/batch/v1/namespaces/{namespace}/jobs');
    expect(await readFile(join(outDir, KUBERNETES_ADAPTERS.file), 'utf8')).toContain('/apis/batch/v1/namespaces/{namespace}/jobs');
  });

  it('fails a Kubernetes job whose launch is refused by the lazily loaded adapters', async () => {
    const jobs = new DynamoJobRepository(table.doc, table.tableName);
    const job = kubeJob({ placement: { cluster: 'not-registered', namespace: 'research' } });
    await jobs.create(job);

    const { stdout } = await execFileAsync(
      process.execPath,
      ['--input-type=module', '-e', INVOKE, pathToFileURL(bundle.file).href, JSON.stringify({ action: 'launch', jobId: job.id })],
      {
        timeout: 30_000,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_EC2_METADATA_DISABLED: 'true',
          POWERTOOLS_LOG_LEVEL: 'ERROR',
          QM_TABLE_NAME: table.tableName,
          QM_DYNAMODB_ENDPOINT: localEndpoints().dynamoDb,
          QM_BACKENDS: 'ecs,kubernetes',
          QM_SECRET_NAME_PREFIX: 'quartermaster/test/',
          QM_ECS_CLUSTER_ARN: 'arn:aws:ecs:us-east-1:123456789012:cluster/qm-gpu',
          QM_ECS_SUBNET_IDS: 'subnet-0123456789abcdef0',
          QM_ECS_SECURITY_GROUP_ID: 'sg-0123456789abcdef0',
          QM_ECS_EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/qm-ecs-execution',
          QM_ECS_TASK_ROLE_ARN: 'arn:aws:iam::123456789012:role/qm-ecs-task',
        },
      },
    );

    const result = JSON.parse(
      stdout
        .split('\n')
        .find((line) => line.startsWith('RESULT '))
        ?.slice('RESULT '.length) ?? 'null',
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const ended = await jobs.get(job.id);
    expect(ended?.state).toBe('failed');
    expect(ended?.stateReason).toBe('Launch failed: Cluster not-registered is not registered');
  }, 60_000);
});
