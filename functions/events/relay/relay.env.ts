import * as z from 'zod/mini';
import { baseEnvSchema, eventsEnvSchema } from '#config/env';

/** The relay reads no table (its input is the stream): only the bus it delivers to. */
export const relayEnvSchema = z.extend(baseEnvSchema, eventsEnvSchema.shape);
export type RelayEnv = z.infer<typeof relayEnvSchema>;
