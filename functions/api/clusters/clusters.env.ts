import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';
import { secretsEnvSchema } from '#config/identity-env';

export const clustersEnvSchema = z.extend(z.extend(baseEnvSchema, secretsEnvSchema.shape), accessEnvSchema.shape);
export type ClustersEnv = z.infer<typeof clustersEnvSchema>;
