import type * as z from 'zod/mini';
import { approvalRedriveEnvSchema } from './approval-redrive.env';

/** The re-drive's settings: the table (requests and their tokens) and the approval state machine. */
export const approvalBridgeEnvSchema = approvalRedriveEnvSchema;
export type ApprovalBridgeEnv = z.infer<typeof approvalBridgeEnvSchema>;
