import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resolveStageConfig, type StageConfigInput } from '#lib/config/stage-config';
import { ComputeStack } from '#lib/stacks/compute-stack';
import { DataStack } from '#lib/stacks/data-stack';
import { synthQuartermaster } from './quartermaster-app.fixture';

const { stacks, template } = synthQuartermaster();
const compute = template(stacks.compute);

type Resource = { Properties: Record<string, any> };
const resources = (template: Template, type: string) => Object.values(template.findResources(type)) as Resource[];

/** A stage of its own, synthesized without the other stacks: a mixed-size Spot-only fleet. */
function synthCompute(input: Partial<StageConfigInput>): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = resolveStageConfig({ stage: 'mixed', ...input });
  const data = new DataStack(app, 'data', { config });
  return Template.fromStack(new ComputeStack(app, 'compute', { config, data }));
}

describe('compute stack: one capacity provider per fleet and purchase kind (default fleets)', () => {
  it('names the capacity providers after stage, fleet and purchase kind', () => {
    const names = resources(compute, 'AWS::ECS::CapacityProvider').map((provider) => provider.Properties.Name);
    expect(names.sort()).toEqual([
      'qm-prod-g5-ondemand',
      'qm-prod-g5-spot',
      'qm-prod-g6e-ondemand',
      'qm-prod-g6e-spot',
      'qm-prod-p4d-ondemand',
    ]);
    compute.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
      CapacityProviders: Match.arrayWith([{ Ref: Match.stringLikeRegexp('Fleetp4dOnDemandCapacityProvider') }]),
    });
  });

  it('launches every group from the Amazon Linux 2023 ECS GPU AMI (SSM parameter, resolved at deploy)', () => {
    const parameters = Object.values(compute.findParameters('*')).map((parameter) => parameter.Default);
    expect(parameters).toContain('/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id');
    expect(parameters.some((name) => String(name).includes('amazon-linux-2/'))).toBe(false);
    const templates = resources(compute, 'AWS::EC2::LaunchTemplate');
    expect(templates).toHaveLength(5);
    for (const template of templates) {
      expect(template.Properties.LaunchTemplateData.ImageId).toEqual({
        Ref: expect.stringMatching(/amazonlinux2023gpurecommendedimageid/),
      });
    }
  });

  it('buys Spot price-capacity-optimized and On-Demand lowest-price, over the fleet instance types', () => {
    const groups = resources(compute, 'AWS::AutoScaling::AutoScalingGroup');
    expect(groups).toHaveLength(5);
    const distributions = groups.map((group) => group.Properties.MixedInstancesPolicy.InstancesDistribution);
    expect(
      distributions.filter((d) => d.SpotAllocationStrategy === 'price-capacity-optimized' && d.OnDemandPercentageAboveBaseCapacity === 0),
    ).toHaveLength(2);
    expect(
      distributions.filter((d) => d.OnDemandAllocationStrategy === 'lowest-price' && d.OnDemandPercentageAboveBaseCapacity === 100),
    ).toHaveLength(3);
    const overrides = groups.map((group) =>
      group.Properties.MixedInstancesPolicy.LaunchTemplate.Overrides.map((o: { InstanceType: string }) => o.InstanceType),
    );
    expect(overrides.sort()).toEqual([['g5.xlarge'], ['g5.xlarge'], ['g6e.xlarge'], ['g6e.xlarge'], ['p4d.24xlarge']]);
  });

  it('scales every group from zero to the fleet maximum under ECS managed scaling, with termination protection', () => {
    const bounds = resources(compute, 'AWS::AutoScaling::AutoScalingGroup').map((group) => [
      group.Properties.MinSize,
      group.Properties.MaxSize,
    ]);
    expect(bounds.sort()).toEqual([
      ['0', '1'],
      ['0', '2'],
      ['0', '2'],
      ['0', '4'],
      ['0', '4'],
    ]);
    for (const group of resources(compute, 'AWS::AutoScaling::AutoScalingGroup')) {
      expect(group.Properties.NewInstancesProtectedFromScaleIn).toBe(true);
    }
    for (const provider of resources(compute, 'AWS::ECS::CapacityProvider')) {
      expect(provider.Properties.AutoScalingGroupProvider).toMatchObject({
        ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
        ManagedTerminationProtection: 'ENABLED',
        ManagedDraining: 'ENABLED',
      });
    }
  });

  it('requires IMDSv2 with hop limit 1 and an encrypted gp3 root volume of the fleet size', () => {
    const sizes: number[] = [];
    for (const template of resources(compute, 'AWS::EC2::LaunchTemplate')) {
      const data = template.Properties.LaunchTemplateData;
      expect(data.MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
      expect(data.BlockDeviceMappings).toHaveLength(1);
      expect(data.BlockDeviceMappings[0].Ebs).toMatchObject({ Encrypted: true, VolumeType: 'gp3', DeleteOnTermination: true });
      sizes.push(data.BlockDeviceMappings[0].Ebs.VolumeSize);
    }
    expect(sizes.sort((a, b) => a - b)).toEqual([200, 200, 200, 200, 500]);
  });

  it('turns on Spot draining on Spot instances only, so an interruption stops the task with SpotInterruption', () => {
    const userData = resources(compute, 'AWS::EC2::LaunchTemplate').map((template) =>
      JSON.stringify(template.Properties.LaunchTemplateData.UserData),
    );
    expect(userData.filter((script) => script.includes('ECS_ENABLE_SPOT_INSTANCE_DRAINING=true'))).toHaveLength(2);
  });

  it('writes each fleet and hardware type of the stage config to the table at deploy', () => {
    const seeds = resources(compute, 'Custom::AWS').map((seed) => JSON.stringify(seed.Properties.Create));
    expect(seeds).toHaveLength(6);
    expect(seeds.filter((call) => call.includes('FLEET#'))).toHaveLength(3);
    const a10g = seeds.find((call) => call.includes('HW#gpu-a10g-1x'));
    expect(a10g).toContain('\\"fleet\\":{\\"S\\":\\"g5\\"}');
    expect(seeds.find((call) => call.includes('FLEET#g5'))).toContain('qm-prod-g5-spot');
  });

  it('places instances in private subnets and allows no inbound traffic', () => {
    for (const group of compute.findResources('AWS::EC2::SecurityGroup') ? resources(compute, 'AWS::EC2::SecurityGroup') : []) {
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    }
    compute.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });
});

describe('compute stack: a mixed-size Spot fleet of its own stage config', () => {
  const mixed = synthCompute({
    fleets: [
      { name: 'g5', instanceTypes: ['g5.xlarge', 'g5.2xlarge', 'g5.12xlarge'], purchase: 'spot', maxInstances: 7, rootVolumeGiB: 300 },
    ],
    hardwareTypes: [],
  });

  it('makes one Spot group over every size, and no On-Demand capacity', () => {
    const groups = resources(mixed, 'AWS::AutoScaling::AutoScalingGroup');
    expect(groups).toHaveLength(1);
    expect(groups[0]!.Properties).toMatchObject({
      MinSize: '0',
      MaxSize: '7',
      MixedInstancesPolicy: {
        InstancesDistribution: { SpotAllocationStrategy: 'price-capacity-optimized', OnDemandBaseCapacity: 0 },
        LaunchTemplate: { Overrides: [{ InstanceType: 'g5.xlarge' }, { InstanceType: 'g5.2xlarge' }, { InstanceType: 'g5.12xlarge' }] },
      },
    });
    expect(resources(mixed, 'AWS::ECS::CapacityProvider').map((provider) => provider.Properties.Name)).toEqual(['qm-mixed-g5-spot']);
    mixed.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 300 }) })] }),
    });
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
