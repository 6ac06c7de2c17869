import * as z from 'zod/mini';
import { lazySchema } from './lazy-schema';
import { hardwareTypeSchema } from '#domain/catalog/hardware.schema';

export const hardwareViewSchema = lazySchema(() =>
  z.omit(hardwareTypeSchema, { schemaVersion: true }).register(z.globalRegistry, { id: 'HardwareType' }),
);
export const hardwareListSchema = lazySchema(() =>
  z.object({ items: z.array(hardwareViewSchema()) }).register(z.globalRegistry, { id: 'HardwareList' }),
);
export const hardwareIdParamsSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a hardware type id'), z.maxLength(63)),
});
export const putHardwareBodySchema = z
  .strictObject(z.omit(hardwareTypeSchema, { schemaVersion: true, id: true }).shape)
  .register(z.globalRegistry, { id: 'HardwareTypeInput' });
export const hardwareListQuerySchema = z.object({ includeDisabled: z._default(z.enum(['true', 'false']), 'false') });
