import type { FleetDirectory } from '#domain/catalog/catalog.port';
import { purchaseForAttempt, type PurchaseKind, type PurchaseOption } from '#domain/catalog/fleet.schema';
import type { HardwareType } from '#domain/catalog/hardware.schema';
import type { BackendKind, Job } from '#domain/jobs/job.schema';

/** Where a job would run, as the dry run tells it: backend, and on ECS the fleet and how it buys capacity. */
export interface ExplainedPlacement {
  backend: BackendKind;
  fleet?: string;
  instanceType?: string;
  /** How the fleet buys instances; `firstLaunch` is what this job's first attempt would use. */
  purchase?: PurchaseOption;
  firstLaunch?: PurchaseKind;
  /** Kubernetes: the cluster and namespace, and why other clusters were passed over. */
  cluster?: string;
  namespace?: string;
  passedOver?: string[];
  note: string;
}

const LABEL: Record<PurchaseKind, string> = { spot: 'Spot', 'on-demand': 'On-Demand' };

/**
 * The placement of a job on `backend` with `hardware`: for ECS, the deployed fleet the hardware type names
 * and its purchase option (what happens on a Spot reclaim, or when no Spot capacity comes in time).
 */
export async function explainPlacement(
  job: Pick<Job, 'backend' | 'placement'>,
  hardware: HardwareType,
  fleets: FleetDirectory | undefined,
): Promise<ExplainedPlacement> {
  const { backend } = job;
  if (backend === 'kubernetes' && job.placement) {
    return { backend, note: `Runs as a Kubernetes Job on cluster "${job.placement.cluster}", namespace "${job.placement.namespace}"` };
  }
  if (backend !== 'ecs') return { backend, note: `Runs on the ${backend} backend` };
  if (!hardware.ecs) return { backend, note: `Hardware type ${hardware.id} names no ECS fleet: the launch would fail` };
  const fleet = await fleets?.get(hardware.ecs.fleet);
  if (!fleet) return { backend, fleet: hardware.ecs.fleet, note: `Fleet "${hardware.ecs.fleet}" is not deployed: the launch would fail` };
  const firstLaunch = purchaseForAttempt(fleet, 0);
  const instanceType = hardware.ecs.instanceType;
  const where = `ECS fleet "${fleet.name}"${instanceType ? ` (${instanceType})` : ` (${fleet.instanceTypes.join(', ')})`}`;
  const timeout = `${fleet.launchTimeoutMinutes} minutes`;
  const notes: Record<PurchaseOption, string> = {
    'on-demand': `Runs On-Demand on ${where}; fails if no instance starts within ${timeout}`,
    spot: `Runs on Spot on ${where}; if the Spot instance is reclaimed it is queued again once, on Spot; fails if no instance starts within ${timeout}`,
    'spot-with-on-demand-fallback': `Runs on Spot first on ${where}; if the Spot instance is reclaimed, or no Spot capacity comes within ${timeout}, it is queued again once and runs On-Demand`,
  };
  return {
    backend,
    fleet: fleet.name,
    ...(instanceType ? { instanceType } : {}),
    purchase: fleet.purchase,
    firstLaunch,
    note: `${notes[fleet.purchase]} (first launch: ${LABEL[firstLaunch]})`,
  };
}
