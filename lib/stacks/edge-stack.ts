import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiWebAcl } from '#lib/constructs/api-web-acl';
import type { QmStackProps } from './stack-props';

/**
 * Edge lifecycle, only for stages deployed outside us-east-1: the CloudFront web ACL, which AWS accepts only in
 * us-east-1. The web stack reads its ARN through a cross-region reference (`crossRegionReferences`: an SSM
 * parameter written here and read there by CDK's custom resources), so both stacks carry an explicit region.
 */
export class EdgeStack extends Stack {
  readonly webAcl: ApiWebAcl;

  constructor(scope: Construct, id: string, props: QmStackProps) {
    super(scope, id, { ...props, env: { region: 'us-east-1' }, crossRegionReferences: true });
    const { config } = props;
    this.webAcl = new ApiWebAcl(this, 'ApiWebAcl', {
      stage: config.stage,
      requestsPerIpPer5Minutes: config.apiRequestsPerIpPer5Minutes,
      signInRequestsPerIpPer5Minutes: config.signInRequestsPerIpPer5Minutes,
    });
  }
}
