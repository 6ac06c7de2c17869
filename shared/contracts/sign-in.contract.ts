import * as z from 'zod/mini';
import { providerIdSchema } from '#domain/identity/identity-provider.schema';

/** Interactive sign-in requests: OIDC (login, callback), LDAP and break-glass. */
export const providerParamsSchema = z.object({ provider: providerIdSchema });

export const oidcCallbackQuerySchema = z.object({
  code: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
  state: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  error: z.optional(z.string().check(z.maxLength(256))),
  error_description: z.optional(z.string().check(z.maxLength(1024))),
  iss: z.optional(z.string().check(z.maxLength(1024))),
});

export const ldapLoginBodySchema = z
  .object({
    provider: z.optional(providerIdSchema).check(z.describe('Needed only when more than one LDAP provider is enabled')),
    username: z.string().check(z.minLength(1), z.maxLength(256)),
    password: z.string().check(z.maxLength(1024)),
  })
  .register(z.globalRegistry, { id: 'LdapLogin' });

export const breakGlassBodySchema = z
  .object({ secret: z.string().check(z.minLength(1), z.maxLength(1024)) })
  .register(z.globalRegistry, { id: 'BreakGlassLogin' });
