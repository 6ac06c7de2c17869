import type { HardwareCatalogAdmin } from '../../../shared/domain/catalog/hardware-catalog.port';
import type { HardwareType } from '../../../shared/domain/catalog/hardware.schema';
import type { AuditLog } from '../../../shared/domain/audit/audit.port';
import { notFound } from '../../../shared/domain/errors/app-error';
import { createApiHandler } from '../../../shared/http/api-handler';
import { catalogRoutes } from './catalog.routes';

export interface CatalogDeps {
  catalog: HardwareCatalogAdmin;
  audit: AuditLog;
}

/** Lists fields explicitly: the stored item's schema version stays internal. */
const view = ({ schemaVersion: _version, ...hardware }: HardwareType) => hardware;

export function createCatalogHandler(deps: CatalogDeps) {
  return createApiHandler(catalogRoutes, {
    listHardware: async ({ query }) => {
      const items = await deps.catalog.list();
      return { status: 200, body: { items: items.filter((h) => query.includeDisabled === 'true' || h.enabled).map(view) } };
    },
    getHardware: async ({ params }) => {
      const hardware = await deps.catalog.get(params.id);
      if (!hardware) throw notFound('Hardware type');
      return { status: 200, body: view(hardware) };
    },
    putHardware: async ({ principal, params, body, sourceIp, requestId }) => {
      const hardware: HardwareType = { schemaVersion: 1, id: params.id, ...body };
      await deps.catalog.put(hardware);
      await deps.audit.append({ actor: principal.userId, orgId: principal.orgId, action: 'hardware.put', target: `hardware/${params.id}`, outcome: 'success', sourceIp, requestId, details: { pricePerHourUsd: body.pricePerHourUsd, enabled: body.enabled } });
      return { status: 200, body: view(hardware) };
    },
    disableHardware: async ({ principal, params, sourceIp, requestId }) => {
      const hardware = await deps.catalog.get(params.id);
      if (!hardware) throw notFound('Hardware type');
      const disabled = { ...hardware, enabled: false };
      await deps.catalog.put(disabled);
      await deps.audit.append({ actor: principal.userId, orgId: principal.orgId, action: 'hardware.disable', target: `hardware/${params.id}`, outcome: 'success', sourceIp, requestId });
      return { status: 200, body: view(disabled) };
    },
  });
}
