import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubePodLogReader } from '#adapters/kubernetes/kube-pod-log.client';
import { kubeJobName } from '#adapters/kubernetes/kube-job-manifest';
import { KubernetesJobBackend } from '#adapters/kubernetes/kubernetes-job-backend.client';
import { BackendLaunchError } from '#domain/jobs/backend-errors';
import type { Job } from '#domain/jobs/job.schema';
import { clusterFor, eventually, hardware, kubeJob, startKubeWorld, type KubeWorld } from '#test-support/kube-fixture';

/**
 * The Kubernetes backend against the fake API server (a documented test double: no real API server runs
 * here, see docs/kubernetes.md). The real @kubernetes/client-node speaks https to it; nothing in the
 * adapter is mocked. Transitions (scheduling, image pull, running, exit) happen over time in the fake.
 */
describe('Kubernetes backend (fake API server test double)', () => {
  let world: KubeWorld;
  let backend: KubernetesJobBackend;
  let logs: KubePodLogReader;

  beforeAll(async () => {
    world = await startKubeWorld({
      secrets: { research: { 'hf-token': { token: 'hf_s3cret' } } },
    });
    backend = new KubernetesJobBackend(world.connector);
    logs = new KubePodLogReader(world.connector);
  });
  afterAll(() => world.close());

  const launched = async (job: Job, gpus = 1): Promise<Job> => {
    const { runRef } = await backend.launch(job, hardware(job.spec.hardwareType, gpus));
    return { ...job, runRef, state: 'running' };
  };
  const settle = (job: Job, done: (status: string) => boolean) =>
    eventually(
      () => backend.observe(job),
      (o) => done(o.status),
    );

  it('creates one batch/v1 Job per job: deterministic name, no retries, max runtime, GPU limit, placement, labels, secretKeyRef', async () => {
    const job = kubeJob({
      specOverrides: {
        maxRuntimeMinutes: 90,
        env: [
          { name: 'MODE', value: 'fast' },
          { name: 'HF_TOKEN', secretRef: 'hf-token/token' },
        ],
      },
    });
    const result = await backend.launch(job, hardware('gpu-a10g-1x', 1));
    expect(result).toEqual({ runRef: `k8s:fake/research/${kubeJobName(job.id)}`, alreadyLaunched: false });

    const created = world.server.cluster.getJob('research', kubeJobName(job.id));
    expect(created.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 5400, ttlSecondsAfterFinished: 86_400 });
    expect(created.spec?.suspend).toBeUndefined();
    expect(created.metadata?.labels).toMatchObject({
      'quartermaster.dev/managed': 'true',
      'quartermaster.dev/job-id': job.id,
      'quartermaster.dev/org': 'acme',
      'quartermaster.dev/team': 'vision',
      'quartermaster.dev/user': 'rae',
    });
    const pod = created.spec!.template.spec!;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.nodeSelector).toEqual({ 'qm.dev/pool': 'a10g' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const container = pod.containers[0]!;
    expect(container.resources?.limits).toEqual({ 'nvidia.com/gpu': '1' });
    expect(container.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } });
    expect(JSON.stringify(created)).not.toContain('hf_s3cret');
    await backend.stop({ ...job, runRef: result.runRef }, 'test over');
  });

  it('duplicated dispatch launches exactly one Job: the 409 AlreadyExists means "already launched"', async () => {
    const job = kubeJob();
    const results = await Promise.all(Array.from({ length: 5 }, () => backend.launch(job, hardware('gpu-a10g-1x', 1))));
    expect(new Set(results.map((r) => r.runRef)).size).toBe(1);
    expect(results.filter((r) => !r.alreadyLaunched)).toHaveLength(1);
    const jobs = world.server.cluster.listJobs('research', (labels) => labels?.['quartermaster.dev/job-id'] === job.id);
    expect(jobs).toHaveLength(1);
    await backend.stop({ ...job, runRef: results[0]!.runRef }, 'test over');
  });

  it('maps a run through waiting, running and ended with the exit code; logs read with a cursor', async () => {
    const job = await launched(kubeJob({ specOverrides: { command: ['sh', '-c', 'echo one; echo two; sleep 0.3; echo three; exit 3'] } }));
    await settle(job, (s) => s === 'running');
    const ended = await settle(job, (s) => s === 'ended');
    expect(ended).toMatchObject({ status: 'ended', exitCode: 3, reason: 'Error: exited with code 3' });

    const page = await logs.read(job, { limit: 2 });
    expect(page.lines.map((l) => l.message)).toEqual(['one', 'two']);
    expect(page.lines[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const rest = await logs.read(job, { limit: 10, cursor: page.nextCursor! });
    expect(rest).toEqual({ lines: [expect.objectContaining({ message: 'three', stream: 'stdout' })] });
  });

  it('a successful run ends with exit code 0', async () => {
    const job = await launched(kubeJob({ specOverrides: { command: ['true'] } }));
    expect(await settle(job, (s) => s === 'ended')).toEqual({ status: 'ended', exitCode: 0 });
  });

  it('Unschedulable is a waiting reason with the scheduler message, not a silent wait', async () => {
    const job = await launched(kubeJob({ specOverrides: { hardwareType: 'gpu-a100-16x' } }), 16);
    const waiting = await eventually(
      () => backend.observe(job),
      (o) => o.status === 'waiting' && o.waiting.code === 'backend_capacity',
    );
    expect(waiting).toMatchObject({
      waiting: {
        code: 'backend_capacity',
        message: expect.stringMatching(/^Unschedulable: 0\/4 nodes are available: .*1 Insufficient nvidia.com\/gpu/),
      },
    });
    await backend.stop(job, 'test over');
  });

  it('a GPU pool taint without the toleration is unschedulable too', async () => {
    const job = await launched(kubeJob({ specOverrides: { hardwareType: 'gpu-untolerated-1x' } }));
    const waiting = await eventually(
      () => backend.observe(job),
      (o) => o.status === 'waiting' && o.waiting.code === 'backend_capacity',
    );
    expect(waiting).toMatchObject({ waiting: { message: expect.stringContaining('untolerated taint {nvidia.com/gpu: present}') } });
    await backend.stop(job, 'test over');
  });

  it('image pull errors and missing Secrets are waiting reasons with the kubelet message', async () => {
    const image = await launched(kubeJob({ specOverrides: { image: 'registry.example/does-not-exist:1' } }));
    expect(
      await eventually(
        () => backend.observe(image),
        (o) => o.status === 'waiting' && /ImagePull/.test(o.waiting.message),
      ),
    ).toMatchObject({
      waiting: { code: 'starting', message: expect.stringMatching(/^(ErrImagePull|ImagePullBackOff): .*does-not-exist/) },
    });
    const secret = await launched(kubeJob({ specOverrides: { env: [{ name: 'DB_PASSWORD', secretRef: 'db/password' }] } }));
    expect(
      await eventually(
        () => backend.observe(secret),
        (o) => o.status === 'waiting' && /Config/.test(o.waiting.message),
      ),
    ).toMatchObject({
      waiting: { code: 'starting', message: 'CreateContainerConfigError: secret "db" not found' },
    });
    await backend.stop(image, 'test over');
    await backend.stop(secret, 'test over');
  });

  it('Kueue clusters: queue-name label and suspend: true; waiting for Kueue until admitted, then runs', async () => {
    world.clusters.set('kueue', clusterFor(world.server, { id: 'kueue', kueueQueue: 'gpu-queue' }));
    const job = await launched(kubeJob({ placement: { cluster: 'kueue', namespace: 'research' }, specOverrides: { command: ['true'] } }));
    const created = world.server.cluster.getJob('research', kubeJobName(job.id));
    expect(created.metadata?.labels?.['kueue.x-k8s.io/queue-name']).toBe('gpu-queue');
    expect(created.spec?.suspend).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200)); // many controller ticks: no LocalQueue yet, so it stays suspended
    expect(await backend.observe(job)).toEqual({
      status: 'waiting',
      waiting: { code: 'backend_capacity', message: 'Waiting for Kueue to admit the Job from LocalQueue "gpu-queue"' },
    });
    world.server.cluster.addLocalQueue('research', 'gpu-queue');
    expect(await settle(job, (s) => s === 'ended')).toEqual({ status: 'ended', exitCode: 0 });
  });

  it('the max runtime ends the run as timed out (activeDeadlineSeconds)', async () => {
    const job = await launched(kubeJob({ specOverrides: { command: ['sleep', '30'], maxRuntimeMinutes: 1 } }));
    expect(await settle(job, (s) => s === 'ended')).toMatchObject({
      status: 'ended',
      timedOut: true,
      reason: 'Exceeded the max runtime (activeDeadlineSeconds)',
    });
  });

  it('cancel deletes the Job with background propagation: its pods go too', async () => {
    const job = await launched(kubeJob({ specOverrides: { command: ['sleep', '30'] } }));
    await settle(job, (s) => s === 'running');
    await backend.stop(job, 'cancelled by rae');
    expect(world.server.requests.filter((r) => r.method === 'DELETE').at(-1)?.path).toBe(
      `/apis/batch/v1/namespaces/research/jobs/${kubeJobName(job.id)}`,
    );
    expect(await backend.observe(job)).toEqual({ status: 'missing' });
    expect(world.server.cluster.listPods('research', (labels) => labels?.['quartermaster.dev/job-id'] === job.id)).toEqual([]);
    await backend.stop(job, 'again'); // a Job that is gone is not an error
  });

  it('refusals the API server gives are launch errors with its message: RBAC-forbidden namespace, missing namespace', async () => {
    const forbidden = kubeJob({ placement: { cluster: 'fake', namespace: 'locked' } });
    await expect(backend.launch(forbidden, hardware('gpu-a10g-1x', 1))).rejects.toMatchObject({
      name: BackendLaunchError.name,
      retryable: false,
      message:
        'Cluster fake rejected the Job: jobs.batch is forbidden: User "system:serviceaccount:qm:dispatcher" cannot create resource "jobs" in API group "batch" in the namespace "locked"',
    });
    const missing = kubeJob({ placement: { cluster: 'fake', namespace: 'nowhere' } });
    await expect(backend.launch(missing, hardware('gpu-a10g-1x', 1))).rejects.toThrow(/rejected the Job: namespaces "nowhere" not found/);
    const unknownHardware = kubeJob({ specOverrides: { hardwareType: 'gpu-h100-8x' } });
    await expect(backend.launch(unknownHardware, hardware('gpu-h100-8x', 8))).rejects.toThrow(
      'Cluster fake offers no hardware type gpu-h100-8x',
    );
  });

  it('polling a namespace costs two list calls by label, however many jobs run there', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 6 }, () =>
        launched(kubeJob({ placement: { cluster: 'fake', namespace: 'team-x-dev' }, specOverrides: { command: ['sleep', '5'] } })),
      ),
    );
    const before = world.server.requests.length;
    const seen = await backend.observeNamespace('fake', 'team-x-dev');
    const calls = world.server.requests.slice(before);
    expect(calls.map((c) => `${c.method} ${c.path} ${c.labelSelector}`).sort()).toEqual([
      'GET /api/v1/namespaces/team-x-dev/pods quartermaster.dev/managed=true',
      'GET /apis/batch/v1/namespaces/team-x-dev/jobs quartermaster.dev/managed=true',
    ]);
    for (const job of jobs) expect(['waiting', 'running']).toContain(seen?.get(job.id)?.status);
    await Promise.all(jobs.map((job) => backend.stop(job, 'test over')));
  });

  it('a rotated credential is picked up on the first 401, without waiting for the connection cache', async () => {
    await backend.observeNamespace('fake', 'research'); // warm the cached connection with the old token
    world.server.revokeToken('qm-token-1');
    world.server.grantToken('qm-token-2', { user: 'system:serviceaccount:qm:dispatcher', namespaces: ['research'], clusterRead: true });
    world.token.current = 'qm-token-2';
    const job = await launched(kubeJob({ specOverrides: { command: ['true'] } }));
    expect(job.runRef).toContain(kubeJobName(job.id));
    const users = world.server.requests.filter((r) => r.method === 'POST').at(-1)?.user;
    expect(users).toBe('system:serviceaccount:qm:dispatcher');
    expect(world.server.requests.some((r) => r.method === 'POST' && r.user === undefined)).toBe(true); // the 401 before the retry

    world.server.revokeToken('qm-token-2'); // revoked and not rotated: the job fails with a reason an admin can act on
    world.connector.invalidate('fake');
    await expect(backend.launch(kubeJob(), hardware('gpu-a10g-1x', 1))).rejects.toMatchObject({
      retryable: false,
      message: "Cluster fake refused Quartermaster's credentials (401): rotate them",
    });
  });
});
