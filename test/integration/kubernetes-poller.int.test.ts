import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobRepository } from '#adapters/dynamodb/dynamo-job.repository';
import { KubernetesJobBackend } from '#adapters/kubernetes/kubernetes-job-backend.client';
import type { Job } from '#domain/jobs/job.schema';
import { pollKubernetesRuns } from '#domain/job-flow/run-poller.service';
import { createTestTable } from '#test-support/integration-env';
import { testRuntime } from '#test-support/job-fixtures';
import { eventually, hardware, kubeJob, startKubeWorld, type KubeWorld } from '#test-support/kube-fixture';

/**
 * The Kubernetes status poller on DynamoDB Local against the fake Kubernetes API server (a documented test
 * double: no real API server runs here). One pass reads each cluster namespace with two list calls by label
 * (Jobs and pods), however many jobs run there; the request count is measured from the server's log.
 */
describe('Kubernetes status poller (DynamoDB Local, fake API server test double)', () => {
  let kube: KubeWorld;
  let jobs: DynamoJobRepository;
  let backend: KubernetesJobBackend;
  let deps: Parameters<typeof pollKubernetesRuns>[0];

  beforeAll(async () => {
    kube = await startKubeWorld();
    const table = await createTestTable();
    jobs = new DynamoJobRepository(table.doc, table.tableName);
    backend = new KubernetesJobBackend(kube.connector);
    deps = { jobs, ...testRuntime(), retentionDays: 0, observer: backend };
  });
  afterAll(() => kube?.close());

  /** A job launched on the fake cluster and stored `running`, as the dispatcher leaves it. */
  async function running(overrides: Parameters<typeof kubeJob>[0]): Promise<Job> {
    const draft = kubeJob({ ...overrides, state: 'running' });
    const { runRef } = await backend.launch(draft, hardware(draft.spec.hardwareType, draft.spec.hardwareType === 'gpu-a100-16x' ? 16 : 1));
    const job = { ...draft, runRef, startedAt: new Date().toISOString(), waiting: { code: 'running' as const, message: 'Running' } };
    const created = await jobs.create(job);
    if (!created.ok) throw new Error('job not stored');
    return job;
  }

  it('one pass: two list calls per namespace; every mapping reaches the job (ended, failed, timed out, waiting)', async () => {
    const ok = await running({ specOverrides: { command: ['true'] } });
    const failing = await running({ specOverrides: { command: ['sh', '-c', 'exit 7'] } });
    const slow = await running({ specOverrides: { command: ['sleep', '30'], maxRuntimeMinutes: 1 } });
    const stuck = await running({
      placement: { cluster: 'fake', namespace: 'team-x-dev' },
      specOverrides: { hardwareType: 'gpu-a100-16x' },
    });
    const pulling = await running({
      placement: { cluster: 'fake', namespace: 'team-x-dev' },
      specOverrides: { image: 'x/does-not-exist:1' },
    });

    const before = kube.server.requests.length;
    const first = await pollKubernetesRuns(deps);
    const calls = kube.server.requests.slice(before);
    expect(first).toMatchObject({ jobs: 5, namespaces: 2 });
    expect(calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual([
      'GET /api/v1/namespaces/research/pods',
      'GET /api/v1/namespaces/team-x-dev/pods',
      'GET /apis/batch/v1/namespaces/research/jobs',
      'GET /apis/batch/v1/namespaces/team-x-dev/jobs',
    ]);

    const stateOf = async (job: Job) => (await jobs.get(job.id))!;
    await eventually(
      async () => {
        await pollKubernetesRuns(deps);
        return Promise.all([ok, failing, slow, stuck, pulling].map(stateOf));
      },
      ([a, b, c, d, e]) =>
        a!.state === 'succeeded' &&
        b!.state === 'failed' &&
        c!.state === 'timed_out' &&
        d!.waiting?.code === 'backend_capacity' &&
        /ImagePull/.test(e!.waiting?.message ?? ''),
    );
    expect(await stateOf(ok)).toMatchObject({ state: 'succeeded', exitCode: 0 });
    expect(await stateOf(failing)).toMatchObject({ state: 'failed', exitCode: 7, stateReason: 'Error: exited with code 7' });
    expect(await stateOf(slow)).toMatchObject({ state: 'timed_out', stateReason: 'Exceeded the max runtime (activeDeadlineSeconds)' });
    expect((await stateOf(stuck)).waiting?.message).toMatch(/^Unschedulable: 0\/4 nodes are available/);
    expect(await stateOf(stuck)).toMatchObject({ state: 'running' });

    // Ended jobs drop out of the pass: only the two waiting ones remain, still two calls per namespace.
    const again = kube.server.requests.length;
    expect(await pollKubernetesRuns(deps)).toMatchObject({ jobs: 2, namespaces: 1 });
    expect(kube.server.requests.length - again).toBe(2);
    await backend.stop(stuck, 'test over');
    await backend.stop(pulling, 'test over');
  });

  it('a Job deleted outside Quartermaster ends its job as failed, saying so', async () => {
    const job = await running({ specOverrides: { command: ['sleep', '30'] } });
    await backend.stop(job, 'deleted by a cluster admin');
    await pollKubernetesRuns(deps);
    expect(await jobs.get(job.id)).toMatchObject({ state: 'failed', stateReason: expect.stringContaining('no longer exists') });
  });
});
