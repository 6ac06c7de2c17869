import * as z from 'zod/mini';
import { baseEnvSchema, eventsEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const kubePollerEnvSchema = z.extend(z.extend(baseEnvSchema, eventsEnvSchema.shape), secretsEnvSchema.shape);
export type KubePollerEnv = z.infer<typeof kubePollerEnvSchema>;
