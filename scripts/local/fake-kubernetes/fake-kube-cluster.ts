import { randomBytes, randomUUID } from 'node:crypto';
import type { V1Job, V1JobCondition, V1Node, V1Pod } from '@kubernetes/client-node';
import { killContainer, podRequests, schedule, startContainer } from './fake-kubelet';
import { nodesOf, notFound, StatusError, type FakeNodePool, type StoredJob, type StoredPod } from './fake-kube-objects';

/**
 * TEST DOUBLE (local stack and tests only): the object store and controllers of the fake Kubernetes API
 * server — a job controller (pods per `backoffLimit`, `activeDeadlineSeconds`, `ttlSecondsAfterFinished`,
 * deletion with propagation), a Kueue stand-in (unsuspends jobs whose `kueue.x-k8s.io/queue-name` names a
 * known LocalQueue), the scheduler and the kubelet (fake-kubelet.ts). Transitions happen over time on a
 * tick, as on a real cluster: a created job has no pod yet, a pod is Pending before Running.
 */
export interface FakeClusterOptions {
  namespaces: readonly string[];
  nodePools: readonly FakeNodePool[];
  /** LocalQueues per namespace that the Kueue stand-in admits from. */
  localQueues?: Readonly<Record<string, readonly string[]>>;
  /** Secrets the cluster admin manages: namespace → name → key → value. */
  secrets?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
  /**
   * Delays of the timed transitions, in ms, and the length of a "second" of `activeDeadlineSeconds` and
   * `ttlSecondsAfterFinished` (tests shorten it to see a one-minute deadline pass in 600 ms).
   */
  timing?: Partial<{ tick: number; schedule: number; pull: number; kueueAdmit: number; second: number }>;
}

const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
const finished = (job: V1Job): V1JobCondition | undefined =>
  job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const podDone = (pod: V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export class FakeKubeCluster {
  readonly nodes: V1Node[];
  private readonly jobs = new Map<string, StoredJob>();
  private readonly pods = new Map<string, StoredPod>();
  private readonly timer: NodeJS.Timeout;
  private readonly timing: { tick: number; schedule: number; pull: number; kueueAdmit: number; second: number };
  private resourceVersion = 1;
  private readonly localQueues: Set<string>;

  constructor(private readonly options: FakeClusterOptions) {
    this.nodes = nodesOf(options.nodePools);
    this.localQueues = new Set(
      Object.entries(options.localQueues ?? {}).flatMap(([ns, queues]) => queues.map((queue) => `${ns}/${queue}`)),
    );
    this.timing = { tick: 25, schedule: 50, pull: 50, kueueAdmit: 100, second: 1000, ...options.timing };
    this.timer = setInterval(() => this.reconcile(), this.timing.tick);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    for (const stored of this.pods.values()) killContainer(stored);
  }

  /** Creates a LocalQueue: suspended Jobs labelled for it are admitted from then on. */
  addLocalQueue(namespace: string, queue: string): void {
    this.localQueues.add(`${namespace}/${queue}`);
  }

  private nextVersion = (): string => String((this.resourceVersion += 1));

  assertNamespace(namespace: string): void {
    if (!this.options.namespaces.includes(namespace)) throw notFound('namespaces', namespace);
  }

  createJob(namespace: string, body: V1Job): V1Job {
    this.assertNamespace(namespace);
    const name = body.metadata?.name;
    if (!name || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63) {
      throw new StatusError(
        422,
        'Invalid',
        `Job.batch "${name ?? ''}" is invalid: metadata.name: Invalid value: a lowercase RFC 1123 label`,
      );
    }
    if (body.metadata?.namespace && body.metadata.namespace !== namespace) {
      throw new StatusError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    const restart = body.spec?.template?.spec?.restartPolicy;
    if (!body.spec?.template?.spec?.containers?.length || (restart !== 'Never' && restart !== 'OnFailure')) {
      throw new StatusError(
        422,
        'Invalid',
        `Job.batch "${name}" is invalid: spec.template.spec: containers required and restartPolicy Never or OnFailure`,
      );
    }
    if (this.jobs.has(`${namespace}/${name}`)) {
      throw new StatusError(409, 'AlreadyExists', `jobs.batch "${name}" already exists`, { name, group: 'batch', kind: 'jobs' });
    }
    const job: V1Job = structuredClone({
      ...body,
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        ...body.metadata,
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        creationTimestamp: new Date(),
      },
      status: body.spec.suspend ? { conditions: [this.condition('Suspended', 'JobSuspended', 'Job suspended')] } : {},
    });
    this.jobs.set(`${namespace}/${name}`, { job, podNames: [] });
    return structuredClone(job);
  }

  getJob(namespace: string, name: string): V1Job {
    this.assertNamespace(namespace);
    const stored = this.jobs.get(`${namespace}/${name}`);
    if (!stored) throw notFound('jobs', name, 'batch');
    return structuredClone(stored.job);
  }

  listJobs(namespace: string, matches: (labels: Record<string, string> | undefined) => boolean): V1Job[] {
    this.assertNamespace(namespace);
    return [...this.jobs.values()]
      .filter((s) => s.job.metadata?.namespace === namespace && matches(s.job.metadata?.labels))
      .map((s) => structuredClone(s.job));
  }

  /**
   * Deletes a job. `Background` deletes its pods right after; `Foreground` too, before the job; `Orphan`
   * (the API default for Jobs, which surprises many clients) leaves the pods running.
   */
  deleteJob(namespace: string, name: string, propagation: string | undefined): V1Job {
    const job = this.getJob(namespace, name);
    const stored = this.jobs.get(`${namespace}/${name}`)!;
    this.jobs.delete(`${namespace}/${name}`);
    for (const podName of stored.podNames) {
      const pod = this.pods.get(`${namespace}/${podName}`);
      if (!pod) continue;
      if (propagation === 'Background' || propagation === 'Foreground') {
        killContainer(pod);
        this.pods.delete(`${namespace}/${podName}`);
      } else if (pod.pod.metadata) {
        pod.pod.metadata.ownerReferences = [];
      }
    }
    return job;
  }

  listPods(namespace: string | undefined, matches: (labels: Record<string, string> | undefined) => boolean): V1Pod[] {
    if (namespace !== undefined) this.assertNamespace(namespace);
    return [...this.pods.values()]
      .filter((s) => (namespace === undefined || s.pod.metadata?.namespace === namespace) && matches(s.pod.metadata?.labels))
      .map((s) => structuredClone(s.pod));
  }

  podLog(namespace: string, name: string, options: { timestamps: boolean; tailLines?: number; sinceTime?: string }): string {
    this.assertNamespace(namespace);
    const stored = this.pods.get(`${namespace}/${name}`);
    if (!stored) throw notFound('pods', name);
    const waiting = stored.pod.status?.containerStatuses?.[0]?.state?.waiting;
    if (stored.log.length === 0 && (waiting || !stored.pod.status?.containerStatuses)) {
      const why = waiting?.reason ?? 'ContainerCreating';
      throw new StatusError(
        400,
        'BadRequest',
        `container "${stored.pod.spec!.containers[0]!.name}" in pod "${name}" is waiting to start: ${why}`,
      );
    }
    const since = options.sinceTime ? Date.parse(options.sinceTime) : undefined;
    let lines = stored.log.filter((entry) => since === undefined || Date.parse(entry.at) >= since);
    if (options.tailLines !== undefined) lines = lines.slice(-options.tailLines);
    return lines.map((entry) => (options.timestamps ? `${entry.at} ${entry.line}\n` : `${entry.line}\n`)).join('');
  }

  private condition(type: string, reason: string, message: string): V1JobCondition {
    const now = new Date();
    return { type, status: 'True', reason, message, lastProbeTime: now, lastTransitionTime: now };
  }

  private used(nodeName: string): Record<string, number> {
    const total: Record<string, number> = {};
    for (const { pod } of this.pods.values()) {
      if (pod.spec?.nodeName !== nodeName || podDone(pod)) continue;
      for (const [name, amount] of Object.entries(podRequests(pod))) total[name] = (total[name] ?? 0) + amount;
    }
    return total;
  }

  /** One controller pass: Kueue, job controller, scheduler and kubelet, then TTL clean-up. */
  private reconcile(): void {
    const now = Date.now();
    for (const [key, stored] of this.jobs) this.reconcileJob(key, stored, now);
    for (const stored of this.pods.values()) this.reconcilePod(stored, now);
  }

  private reconcileJob(key: string, stored: StoredJob, now: number): void {
    const { job } = stored;
    const spec = job.spec!;
    const status = (job.status ??= {});
    const done = finished(job);
    if (done) {
      const ttl = spec.ttlSecondsAfterFinished;
      if (ttl !== undefined && now - (done.lastTransitionTime as Date).getTime() >= ttl * this.timing.second) {
        this.deleteJob(job.metadata!.namespace!, job.metadata!.name!, 'Background');
        this.jobs.delete(key);
      }
      return;
    }
    if (spec.suspend) {
      const queue = job.metadata?.labels?.[QUEUE_LABEL];
      const known = queue !== undefined && this.localQueues.has(`${job.metadata!.namespace}/${queue}`);
      if (known && now - (job.metadata!.creationTimestamp as Date).getTime() >= this.timing.kueueAdmit) {
        spec.suspend = false;
        status.conditions = (status.conditions ?? []).filter((c) => c.type !== 'Suspended');
        job.metadata!.resourceVersion = this.nextVersion();
      }
      return;
    }
    status.startTime ??= new Date();
    const pods = stored.podNames.map((name) => this.pods.get(`${job.metadata!.namespace}/${name}`)?.pod).filter((pod) => pod !== undefined);
    status.active = pods.filter((pod) => !podDone(pod)).length;
    status.ready = pods.filter((pod) => pod.status?.phase === 'Running').length;
    status.succeeded = pods.filter((pod) => pod.status?.phase === 'Succeeded').length;
    status.failed = pods.filter((pod) => pod.status?.phase === 'Failed').length;
    const deadline = spec.activeDeadlineSeconds;
    if (deadline !== undefined && now - status.startTime.getTime() >= deadline * this.timing.second) {
      for (const pod of pods.filter((p) => !podDone(p))) this.terminate(pod, 137, 'DeadlineExceeded');
      this.finish(job, 'Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    } else if (status.succeeded > 0) {
      this.finish(job, 'Complete', 'Completed', 'Reached expected number of succeeded pods');
    } else if (status.failed > (spec.backoffLimit ?? 6)) {
      this.finish(job, 'Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
    } else if (status.active === 0) {
      this.createPod(stored);
    }
  }

  private finish(job: V1Job, type: 'Complete' | 'Failed', reason: string, message: string): void {
    const status = job.status!;
    status.conditions = [...(status.conditions ?? []), this.condition(type, reason, message)];
    status.active = 0;
    status.ready = 0;
    if (type === 'Complete') status.completionTime = new Date();
    job.metadata!.resourceVersion = this.nextVersion();
  }

  private createPod(stored: StoredJob): void {
    const { job } = stored;
    const name = `${job.metadata!.name}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const template = structuredClone(job.spec!.template);
    const pod: V1Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...template.metadata,
        name,
        namespace: job.metadata!.namespace!,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        creationTimestamp: new Date(),
        labels: { ...template.metadata?.labels, 'batch.kubernetes.io/job-name': job.metadata!.name!, 'job-name': job.metadata!.name! },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata!.name!, uid: job.metadata!.uid!, controller: true }],
      },
      spec: template.spec!,
      status: { phase: 'Pending', conditions: [] },
    };
    stored.podNames.push(name);
    this.pods.set(`${pod.metadata!.namespace}/${name}`, { pod, log: [], createdMs: Date.now() });
  }

  private reconcilePod(stored: StoredPod, now: number): void {
    const { pod } = stored;
    const status = pod.status!;
    if (podDone(pod) || status.phase === 'Running') return;
    const container = pod.spec!.containers[0]!;
    if (!pod.spec!.nodeName) {
      if (now - stored.createdMs < this.timing.schedule) return;
      const placed = schedule(pod, this.nodes, (node) => this.used(node));
      if ('message' in placed) {
        status.conditions = [
          { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: placed.message, lastTransitionTime: new Date() },
        ];
        return;
      }
      pod.spec!.nodeName = placed.node;
      stored.scheduledMs = now;
      status.conditions = [{ type: 'PodScheduled', status: 'True', lastTransitionTime: new Date() }];
      status.containerStatuses = [
        {
          name: container.name,
          image: container.image!,
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ContainerCreating' } },
        },
      ];
      return;
    }
    startContainer(stored, now, {
      pullMs: this.timing.pull,
      secret: (name, key) => this.options.secrets?.[pod.metadata!.namespace!]?.[name]?.[key],
      onExit: (exitCode) => this.terminate(pod, exitCode, exitCode === 0 ? 'Completed' : 'Error'),
    });
  }

  private terminate(pod: V1Pod, exitCode: number, reason: string): void {
    const stored = this.pods.get(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
    if (!stored || podDone(stored.pod)) return;
    killContainer(stored);
    const status = stored.pod.status!;
    const started = status.containerStatuses?.[0]?.state?.running?.startedAt;
    status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
    if (reason === 'DeadlineExceeded') status.reason = 'DeadlineExceeded';
    status.containerStatuses = (status.containerStatuses ?? []).map((c) => ({
      ...c,
      ready: false,
      state: { terminated: { exitCode, reason, ...(started ? { startedAt: started } : {}), finishedAt: new Date() } },
    }));
    stored.pod.metadata!.resourceVersion = this.nextVersion();
  }
}
