import { AppError } from '#domain/errors/app-error';
import { checkHardwareType } from './fleet-checks';
import type { FleetDirectory } from './catalog.port';
import type { InstanceTypeSpec } from './gpu-instance-types';
import type { HardwareType } from './hardware.schema';

/**
 * The run-time half of the synth-time catalog check, for `PUT /v1/hardware/{id}`: a hardware type placed on
 * ECS must name a deployed fleet, an instance type of it, and fit that instance (GPUs, GPU model, vCPU,
 * memory). Prices are checked at synth only (the stage's tolerance is a deploy setting). Throws a 400 that
 * names each offending field.
 */
export async function assertFitsDeployedFleets(hardware: HardwareType, fleets: FleetDirectory): Promise<void> {
  if (!hardware.ecs) return;
  const deployed = await fleets.list();
  const prices: Record<string, InstanceTypeSpec> = {};
  for (const fleet of deployed) Object.assign(prices, fleet.instances);
  const problems = checkHardwareType(hardware, { fleets: deployed, prices, priceTolerance: Number.POSITIVE_INFINITY });
  if (problems.length === 0) return;
  throw new AppError('validation_failed', problems.map((problem) => problem.message).join('; '), {
    fields: problems.map((problem) => ({ field: `body.${problem.field}`, message: problem.message })),
  });
}
