import * as z from 'zod/mini';
import { ERROR_CODES } from '#domain/errors/app-error';
import { lazySchema } from './lazy-schema';

/** The one error envelope of every response that is not 2xx (documentation and test validation only: lazy). */
export const errorEnvelopeSchema = lazySchema(() =>
  z
    .object({
      error: z.object({
        code: z.enum(ERROR_CODES),
        message: z.string(),
        details: z.optional(
          z.catchall(z.object({ fields: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))) }), z.unknown()),
        ),
      }),
    })
    .register(z.globalRegistry, { id: 'Error' }),
);

/** Opaque cursor pagination: pass `nextCursor` back as `cursor` to get the next page. */
export const paginationQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
