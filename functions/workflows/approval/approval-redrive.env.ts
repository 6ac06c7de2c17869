import * as z from 'zod/mini';
import { baseEnvSchema } from '#config/env';

export const approvalRedriveEnvSchema = z.extend(baseEnvSchema, {
  /** The approval state machine whose running executions are compared with the waiting jobs. */
  QM_APPROVAL_STATE_MACHINE_ARN: z.string().check(z.regex(/^arn:aws[a-z-]*:states:/, 'a state machine ARN')),
});
export type ApprovalRedriveEnv = z.infer<typeof approvalRedriveEnvSchema>;
