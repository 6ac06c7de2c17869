import { errorEnvelopeSchema } from '#contracts/common.contract';
import {
  hardwareIdParamsSchema,
  hardwareListQuerySchema,
  hardwareListSchema,
  hardwareViewSchema,
  putHardwareBodySchema,
} from '#contracts/catalog.contract';
import { standardErrors } from '#contracts/route-responses';
import type { RouteDeclaration } from '#http/route';

const errors = standardErrors;

/**
 * The hardware catalog (docs/architecture.md#gpu-fleets-ecs): deployment-wide (every org's users see it), so read by everyone who
 * can see configuration and written by platform admins only (`platform.config`, docs/permissions.md#tenancy).
 */
export const catalogRoutes = [
  {
    method: 'GET',
    path: '/v1/hardware',
    operationId: 'listHardware',
    summary: 'List hardware types with their price per hour',
    access: 'config.view',
    tags: ['catalog'],
    request: { query: hardwareListQuerySchema },
    responses: { 200: { description: 'The catalog', schema: hardwareListSchema }, ...errors },
  },
  {
    method: 'GET',
    path: '/v1/hardware/{id}',
    operationId: 'getHardware',
    summary: 'Get one hardware type',
    access: 'config.view',
    tags: ['catalog'],
    request: { params: hardwareIdParamsSchema },
    responses: {
      200: { description: 'The hardware type', schema: hardwareViewSchema },
      ...errors,
      404: { description: 'Unknown hardware type', schema: errorEnvelopeSchema },
    },
  },
  {
    method: 'PUT',
    path: '/v1/hardware/{id}',
    operationId: 'putHardware',
    summary: 'Create or replace a hardware type (platform admins: the catalog is shared by every org)',
    access: 'platform.config',
    tags: ['catalog'],
    request: { params: hardwareIdParamsSchema, body: putHardwareBodySchema },
    responses: { 200: { description: 'The stored hardware type', schema: hardwareViewSchema }, ...errors },
  },
  {
    method: 'DELETE',
    path: '/v1/hardware/{id}',
    operationId: 'disableHardware',
    summary: 'Disable a hardware type (platform admins; soft delete: jobs keep referring to it)',
    access: 'platform.config',
    tags: ['catalog'],
    request: { params: hardwareIdParamsSchema },
    responses: {
      200: { description: 'The disabled hardware type', schema: hardwareViewSchema },
      ...errors,
      404: { description: 'Unknown hardware type', schema: errorEnvelopeSchema },
    },
  },
] as const satisfies readonly RouteDeclaration[];
