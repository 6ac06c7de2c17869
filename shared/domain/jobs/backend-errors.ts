import type { BackendKind } from '#domain/jobs/job.schema';

/**
 * Why a backend refused to launch a job. The dispatcher decides from `retryable` alone, so adapters put
 * every backend's failure into one of these two classes instead of leaking SDK errors:
 * - `BackendCapacityError`: no room right now (GPUs busy, instances still scaling up). The job goes back to
 *   the queue with the `backend_capacity` waiting reason and is tried again later.
 * - `BackendLaunchError`: the request itself cannot succeed (bad image reference, misconfigured catalog
 *   entry, overrides too large). Retrying would only burn dispatch attempts, so the job fails with `reason`.
 * Transient transport errors (throttling, 5xx) are not wrapped: they propagate so SQS redelivers the
 * dispatch message, which is safe because launches are idempotent per job id.
 *
 * Messages end up in job `stateReason` and are shown to users: never put secret values in them.
 */
export abstract class BackendError extends Error {
  abstract readonly retryable: boolean;
  abstract readonly code: 'backend_capacity' | 'backend_launch_failed';

  constructor(
    readonly backend: BackendKind,
    message: string,
    /** The backend's own short reason, e.g. ECS `RESOURCE:GPU`, kept for logs and metrics. */
    readonly backendReason?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class BackendCapacityError extends BackendError {
  readonly retryable = true;
  readonly code = 'backend_capacity' as const;
  override readonly name = 'BackendCapacityError';
}

export class BackendLaunchError extends BackendError {
  readonly retryable = false;
  readonly code = 'backend_launch_failed' as const;
  override readonly name = 'BackendLaunchError';
}

export const isBackendError = (error: unknown): error is BackendError => error instanceof BackendError;
