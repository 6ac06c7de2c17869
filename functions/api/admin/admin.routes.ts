import { policyRoutes } from './policy.routes';
import { usersRoutes } from './users.routes';

/** Everything the admin function serves: users, custom levels and resource rules. */
export const adminRoutes = [...usersRoutes, ...policyRoutes] as const;
