import type { StackProps } from 'aws-cdk-lib';
import type { StageConfig } from '#lib/config/stage-config';

/** Props every Quartermaster stack takes: the validated stage config. */
export interface QmStackProps extends StackProps {
  /** Validated stage configuration (see `lib/config/stage-config.ts`). */
  readonly config: StageConfig;
}
