import type { z } from 'zod';
import { baseEnvSchema } from '../../shared/config/env';

export const authorizerEnvSchema = baseEnvSchema;
export type AuthorizerEnv = z.infer<typeof authorizerEnvSchema>;
