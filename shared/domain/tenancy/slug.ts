import * as z from 'zod/mini';

/**
 * Ids of orgs and teams (and names of templates) are slugs. In a module of its own because zod builds every
 * schema of a module at import: contracts that only need a slug should not build the org and team schemas.
 */
export const slugSchema = z
  .string()
  .check(z.minLength(2), z.maxLength(40), z.regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lower-case letters, digits and dashes'));
