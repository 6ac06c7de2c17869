import * as z from 'zod';
import { ERROR_CODES } from '../domain/errors/app-error';

/** The one error envelope of every response that is not 2xx. */
export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z
        .object({ fields: z.array(z.object({ field: z.string(), message: z.string() })).optional() })
        .catchall(z.unknown())
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Opaque cursor pagination: pass `nextCursor` back as `cursor` to get the next page. */
export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});
