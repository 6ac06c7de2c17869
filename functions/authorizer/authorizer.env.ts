import type { z } from 'zod';
import { baseEnvSchema, eventsEnvSchema } from '../../shared/config/env';
import { sessionEnvSchema } from '../../shared/config/identity-env';

/** The authorizer verifies tokens, provisions users just in time and emits `auth.login_failure`. */
export const authorizerEnvSchema = baseEnvSchema.extend(eventsEnvSchema.shape).extend(sessionEnvSchema.shape);
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
