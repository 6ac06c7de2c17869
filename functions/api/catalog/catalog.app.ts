import type { AuditLog } from '#domain/audit/audit.port';
import type { PrincipalGate } from '#domain/identity/access-gate';
import { assertFitsDeployedFleets } from '#domain/catalog/catalog-admin.service';
import type { FleetDirectory, HardwareCatalogAdmin } from '#domain/catalog/catalog.port';
import type { HardwareType } from '#domain/catalog/hardware.schema';
import { notFound } from '#domain/errors/app-error';
import { createApiHandler } from '#http/api-handler';
import { catalogRoutes } from './catalog.routes';
import { composeApiAccess, type ApiRuntime } from '#functions/api/api-access';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import type { CatalogEnv } from './catalog.env';

export interface CatalogDeps {
  catalog: HardwareCatalogAdmin;
  /** The deployed GPU fleets: a hardware type placed on ECS must name one and fit its instance type. */
  fleets?: FleetDirectory;
  principalGate?: PrincipalGate;
  /** Every change (and refusal) is appended by the bundle; routes add target and details. */
  audit?: AuditLog;
}

/** Lists fields explicitly: the stored item's schema version stays internal. */
const view = ({ schemaVersion: _version, ...hardware }: HardwareType) => hardware;

export function createCatalogHandler(deps: CatalogDeps) {
  return createApiHandler(
    catalogRoutes,
    {
      listHardware: async ({ query }) => {
        const items = await deps.catalog.list();
        return { status: 200, body: { items: items.filter((h) => query.includeDisabled === 'true' || h.enabled).map(view) } };
      },
      getHardware: async ({ params }) => {
        const hardware = await deps.catalog.get(params.id);
        if (!hardware) throw notFound('Hardware type');
        return { status: 200, body: view(hardware) };
      },
      putHardware: async ({ params, body }) => {
        const hardware: HardwareType = { schemaVersion: 1, id: params.id, ...body };
        if (deps.fleets) await assertFitsDeployedFleets(hardware, deps.fleets);
        await deps.catalog.put(hardware);
        return {
          status: 200,
          body: view(hardware),
          audit: {
            action: 'hardware.put',
            target: `hardware/${params.id}`,
            details: { pricePerHourUsd: body.pricePerHourUsd, enabled: body.enabled },
          },
        };
      },
      disableHardware: async ({ params }) => {
        const hardware = await deps.catalog.get(params.id);
        if (!hardware) throw notFound('Hardware type');
        const disabled = { ...hardware, enabled: false };
        await deps.catalog.put(disabled);
        return { status: 200, body: view(disabled), audit: { action: 'hardware.disable', target: `hardware/${params.id}` } };
      },
    },
    { ...(deps.principalGate ? { principalGate: deps.principalGate } : {}), ...(deps.audit ? { audit: deps.audit } : {}) },
  );
}

/** The catalog function, as Lambda, the local stack and the tests build it. */
export function composeCatalog(env: CatalogEnv, runtime: ApiRuntime) {
  const { options } = composeApiAccess(env, runtime);
  return createCatalogHandler({
    catalog: new DynamoHardwareCatalog(runtime.doc, env.QM_TABLE_NAME, runtime.configCacheMs),
    // A hardware type placed on ECS must name a deployed fleet and fit its instance type.
    fleets: new DynamoFleetDirectory(runtime.doc, env.QM_TABLE_NAME),
    ...options,
  });
}
