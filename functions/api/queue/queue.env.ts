import * as z from 'zod/mini';
import { accessEnvSchema } from '#config/access-env';
import { baseEnvSchema } from '#config/env';

export const queueEnvSchema = z.extend(baseEnvSchema, accessEnvSchema.shape);
export type QueueEnv = z.infer<typeof queueEnvSchema>;
