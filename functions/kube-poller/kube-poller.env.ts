import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const kubePollerEnvSchema = z.extend(baseEnvSchema, secretsEnvSchema.shape);
export type KubePollerEnv = z.infer<typeof kubePollerEnvSchema>;
