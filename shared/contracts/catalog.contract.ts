import * as z from 'zod';
import { hardwareTypeSchema } from '../domain/catalog/hardware.schema';

export const hardwareViewSchema = hardwareTypeSchema.omit({ schemaVersion: true }).meta({ id: 'HardwareType' });
export const hardwareListSchema = z.object({ items: z.array(hardwareViewSchema) }).meta({ id: 'HardwareList' });
export const hardwareIdParamsSchema = z.object({ id: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a hardware type id').max(63) });
export const putHardwareBodySchema = hardwareTypeSchema.omit({ schemaVersion: true, id: true }).strict().meta({ id: 'HardwareTypeInput' });
export const hardwareListQuerySchema = z.object({ includeDisabled: z.enum(['true', 'false']).default('false') });
