import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const compute = template(stacks.compute);

describe('compute stack: GPU capacity', () => {
  it('launches GPU instances from a launch template with the ECS GPU-optimized AMI', () => {
    compute.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'g5.xlarge',
        ImageId: { Ref: Match.stringLikeRegexp('gpurecommendedimageid') },
      }),
    });
    const parameters = compute.findParameters('*', {
      Default: '/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id',
    });
    expect(Object.keys(parameters)).toHaveLength(1);
    compute.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
      LaunchConfigurationName: Match.absent(),
    });
  });

  it('scales to zero under ECS managed scaling with termination protection', () => {
    compute.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '0',
      MaxSize: '4',
      NewInstancesProtectedFromScaleIn: true,
    });
    compute.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: {
        AutoScalingGroupArn: Match.anyValue(),
        ManagedScaling: Match.objectLike({
          Status: 'ENABLED',
          TargetCapacity: 100,
        }),
        ManagedTerminationProtection: 'ENABLED',
      },
    });
    compute.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      DefaultCapacityProviderStrategy: [Match.objectLike({ Weight: 1 })],
    });
  });

  it('requires IMDSv2 (hop limit 1) and encrypts the root volume', () => {
    compute.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [
          Match.objectLike({
            Ebs: Match.objectLike({ Encrypted: true, VolumeType: 'gp3' }),
          }),
        ],
      }),
    });
  });

  it('places instances in private subnets and allows no inbound traffic', () => {
    for (const group of Object.values(compute.findResources('AWS::EC2::SecurityGroup'))) {
      expect((group as { Properties: Record<string, unknown> }).Properties.SecurityGroupIngress).toBeUndefined();
    }
    compute.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });
});

describe('compute stack: network and cluster', () => {
  it('spans two AZs with flow logs on', () => {
    compute.resourceCountIs('AWS::EC2::Subnet', 4);
    compute.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
    });
  });

  it('runs the cluster with Container Insights', () => {
    compute.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('keeps job output in /quartermaster/jobs with retention', () => {
    compute.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/quartermaster/jobs',
      RetentionInDays: 90,
    });
  });

  it('gives the job task role no permissions', () => {
    const taskRole = compute.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [
            Match.objectLike({
              Principal: { Service: 'ecs-tasks.amazonaws.com' },
            }),
          ],
        }),
      },
    });
    expect(Object.keys(taskRole)).toHaveLength(2);
    const policies = Object.values(compute.findResources('AWS::IAM::Policy')) as { Properties: { Roles: { Ref: string }[] } }[];
    const taskRoleId = Object.keys(taskRole).find((id) => id.startsWith('JobTaskRole'));
    expect(taskRoleId).toBeDefined();
    expect(policies.some((policy) => policy.Properties.Roles.some((role) => role.Ref === taskRoleId))).toBe(false);
  });
});
