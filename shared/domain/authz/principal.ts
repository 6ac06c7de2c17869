import { z } from 'zod';
import { levelSchema, permissionSchema } from './permissions';

/**
 * The verified caller, as the authorizer hands it to every route. The org always comes from here (the
 * verified identity and the database), never from a header or a body field.
 */
export const principalSchema = z.object({
  userId: z.string().min(1),
  orgId: z.string().min(1),
  level: levelSchema,
  platformAdmin: z.boolean().default(false),
  teamIds: z.array(z.string()).default([]),
  /** How the caller authenticated: `dev` exists only in the local stack. */
  authMethod: z.enum(['dev', 'oidc', 'cognito', 'ldap', 'session', 'api_key']),
  /** API keys only: the key's scopes; effective permissions are the owner's ∩ these. */
  scopes: z.array(permissionSchema).optional(),
});
export type Principal = z.infer<typeof principalSchema>;
