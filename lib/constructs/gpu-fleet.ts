import { Duration, Validations } from 'aws-cdk-lib';
import { AutoScalingGroup, HealthChecks, OnDemandAllocationStrategy, SpotAllocationStrategy } from 'aws-cdk-lib/aws-autoscaling';
import {
  BlockDeviceVolume,
  EbsDeviceVolumeType,
  InstanceType,
  LaunchTemplate,
  SubnetType,
  UserData,
  type ISecurityGroup,
  type IVpc,
} from 'aws-cdk-lib/aws-ec2';
import { AmiHardwareType, AsgCapacityProvider, EcsOptimizedImage, MachineImageType, type Cluster } from 'aws-cdk-lib/aws-ecs';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { capacityProviderNames, type FleetConfig, type PurchaseKind } from '#domain/catalog/fleet.schema';

/**
 * SSM parameter of the current ECS GPU-optimized AMI: Amazon Linux 2023 with the NVIDIA driver, the NVIDIA
 * container toolkit and the ECS agent. Resolved by CloudFormation at every deploy, so a redeploy picks up
 * the AMI AWS recommends that day (the Amazon Linux 2 GPU AMI reached end of support in June 2026).
 */
export const GPU_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id';

export interface GpuFleetProps {
  readonly stage: string;
  readonly fleet: FleetConfig;
  readonly cluster: Cluster;
  readonly vpc: IVpc;
  /** Shared by every fleet: the ECS container agent's role. */
  readonly instanceRole: IRole;
  /** Shared by every fleet: no inbound traffic. */
  readonly securityGroup: ISecurityGroup;
}

/**
 * One GPU fleet of the stage config: per purchase kind it uses (Spot, On-Demand), a launch template on the
 * ECS GPU AMI, an Auto Scaling group with a mixed-instances policy over the fleet's instance types and an
 * ECS capacity provider with managed scaling (from zero) and managed termination protection.
 *
 * Spot groups allocate `price-capacity-optimized` (the pools least likely to be interrupted, at a low price);
 * On-Demand groups `lowest-price`. A `spot-with-on-demand-fallback` fleet gets both groups: the dispatcher
 * chooses which capacity provider a task uses (Spot first, On-Demand after an interruption).
 */
export class GpuFleet extends Construct {
  readonly config: FleetConfig;
  /** Capacity providers by purchase kind; only the kinds the fleet buys are present. */
  readonly capacityProviders: Partial<Record<PurchaseKind, AsgCapacityProvider>> = {};

  constructor(scope: Construct, id: string, props: GpuFleetProps) {
    super(scope, id);
    this.config = props.fleet;
    const names = capacityProviderNames(props.stage, props.fleet);
    if (names.spot) this.capacityProviders.spot = this.addGroup('Spot', 'spot', names.spot, props);
    if (names.onDemand) this.capacityProviders['on-demand'] = this.addGroup('OnDemand', 'on-demand', names.onDemand, props);
  }

  private addGroup(id: string, kind: PurchaseKind, name: string, props: GpuFleetProps): AsgCapacityProvider {
    // One template per group: ECS appends its join script (and, for Spot, draining) to the template's user data.
    const launchTemplate = new LaunchTemplate(this, `${id}LaunchTemplate`, {
      machineImage: EcsOptimizedImage.amazonLinux2023(AmiHardwareType.GPU),
      userData: UserData.forLinux(),
      role: props.instanceRole,
      securityGroup: props.securityGroup,
      requireImdsv2: true,
      // Hop limit 1: containers in awsvpc tasks cannot reach the instance's metadata (and its role).
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: BlockDeviceVolume.ebs(props.fleet.rootVolumeGiB, {
            encrypted: true,
            volumeType: EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    const group = new AutoScalingGroup(this, `${id}Group`, {
      vpc: props.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      mixedInstancesPolicy: {
        launchTemplate,
        launchTemplateOverrides: props.fleet.instanceTypes.map((type) => ({ instanceType: new InstanceType(type) })),
        instancesDistribution:
          kind === 'spot'
            ? {
                onDemandBaseCapacity: 0,
                onDemandPercentageAboveBaseCapacity: 0,
                spotAllocationStrategy: SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED,
              }
            : {
                onDemandBaseCapacity: 0,
                onDemandPercentageAboveBaseCapacity: 100,
                onDemandAllocationStrategy: OnDemandAllocationStrategy.LOWEST_PRICE,
              },
      },
      minCapacity: 0,
      maxCapacity: props.fleet.maxInstances,
      // Required by managed termination protection: ECS decides which instances may go.
      newInstancesProtectedFromScaleIn: true,
      healthChecks: HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      cooldown: Duration.minutes(5),
    });
    Validations.of(group).acknowledge(
      {
        id: 'AwsSolutions-AS3',
        reason: 'ECS managed scaling drives this group; scaling activity is visible in ECS and CloudWatch, no SNS notifications needed',
      },
      {
        // The rule cannot follow a launch template referenced from a mixed-instances policy and throws; the
        // template's only volume is encrypted gp3 (asserted by test/cdk/compute-stack.test.ts).
        id: 'AwsSolutions-EC26',
        reason:
          'EBS volumes come from the launch template, whose root volume is encrypted gp3; cdk-nag cannot resolve a template inside a mixed-instances policy',
      },
    );
    const provider = new AsgCapacityProvider(this, `${id}CapacityProvider`, {
      autoScalingGroup: group,
      capacityProviderName: name,
      enableManagedScaling: true,
      targetCapacityPercent: 100,
      enableManagedTerminationProtection: true,
      // Without a draining hook ECS would wait for jobs that run for days before replacing an instance.
      enableManagedDraining: true,
      // Amazon Linux 2023 takes the same bash user data (ecs.config) as Amazon Linux 2.
      machineImageType: MachineImageType.AMAZON_LINUX_2,
    });
    props.cluster.addAsgCapacityProvider(provider);
    if (kind === 'spot') {
      // On the two-minute Spot warning the agent drains the instance, so the job's task stops with stop code
      // SpotInterruption and the job is queued again (docs/deploy.md). CDK's own `spotInstanceDraining`
      // only acts on groups with a spot price, not on mixed-instances Spot groups, hence the line here.
      launchTemplate.userData?.addCommands('echo ECS_ENABLE_SPOT_INSTANCE_DRAINING=true >> /etc/ecs/ecs.config');
    }
    return provider;
  }
}
