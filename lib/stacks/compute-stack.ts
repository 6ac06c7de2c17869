import { Aws, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AutoScalingGroup, HealthChecks } from 'aws-cdk-lib/aws-autoscaling';
import {
  BlockDeviceVolume,
  EbsDeviceVolumeType,
  FlowLogDestination,
  FlowLogTrafficType,
  InstanceType,
  LaunchTemplate,
  SecurityGroup,
  SubnetType,
  UserData,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { AmiHardwareType, AsgCapacityProvider, Cluster, ContainerInsights, EcsOptimizedImage } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { QmStackProps } from './stack-props';

/**
 * Compute lifecycle: the network and the GPU capacity jobs run on. A VPC over two AZs (public subnets only
 * for NAT; instances and job tasks in private subnets), an ECS cluster, and one GPU capacity provider: an
 * Auto Scaling group of ECS GPU-optimized instances that ECS managed scaling grows from zero when tasks
 * wait and shrinks back to zero when they end. Jobs get their own execution role, task role, security
 * group and log group.
 */
export class ComputeStack extends Stack {
  readonly vpc: Vpc;
  readonly cluster: Cluster;
  /** The cluster's name as a literal (not a token), so other stacks can build task ARNs without a reference. */
  readonly clusterName: string;
  readonly gpuCapacityProvider: AsgCapacityProvider;
  /** Security group of awsvpc job tasks: egress only. */
  readonly jobSecurityGroup: SecurityGroup;
  /** Role the ECS agent uses for a job: pull images, write job logs. */
  readonly jobExecutionRole: Role;
  /** Role a job's containers assume: no permissions by default. */
  readonly jobTaskRole: Role;
  readonly jobLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: QmStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retention = config.logRetentionDays as RetentionDays;

    const flowLogGroup = new LogGroup(this, 'FlowLogs', { retention });
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24 },
        // GPU instances pull large images from public registries, hence egress through NAT.
        {
          name: 'private',
          subnetType: SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: 20,
        },
      ],
      flowLogs: {
        all: {
          destination: FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: FlowLogTrafficType.ALL,
        },
      },
    });

    this.clusterName = `quartermaster-${config.stage}`;
    this.cluster = new Cluster(this, 'Cluster', {
      vpc: this.vpc,
      clusterName: this.clusterName,
      containerInsightsV2: ContainerInsights.ENABLED,
    });

    this.gpuCapacityProvider = this.addGpuCapacity(config.gpuInstanceType, config.gpuMaxInstances, config.gpuRootVolumeGiB, config.stage);
    this.cluster.addAsgCapacityProvider(this.gpuCapacityProvider);
    // RunTask without a strategy lands on GPU capacity.
    this.cluster.addDefaultCapacityProviderStrategy([
      {
        capacityProvider: this.gpuCapacityProvider.capacityProviderName,
        weight: 1,
      },
    ]);

    this.jobSecurityGroup = new SecurityGroup(this, 'JobSecurityGroup', {
      vpc: this.vpc,
      description: 'Quartermaster job tasks: no inbound, outbound for images, data and APIs',
      allowAllOutbound: true,
    });
    this.jobLogGroup = new LogGroup(this, 'JobLogs', {
      logGroupName: config.jobLogGroupName,
      retention,
    });
    this.jobExecutionRole = this.createJobExecutionRole();
    this.jobTaskRole = new Role(this, 'JobTaskRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: "Assumed by a job's containers; grant data access per deployment, never broadly",
    });

    // The hardware catalog names this provider for GPU types that run on ECS.
    new CfnOutput(this, 'GpuCapacityProviderName', { value: this.gpuCapacityProvider.capacityProviderName });
    new CfnOutput(this, 'ClusterName', { value: this.clusterName });
  }

  private addGpuCapacity(instanceType: string, maxInstances: number, rootVolumeGiB: number, stage: string): AsgCapacityProvider {
    const instanceSecurityGroup = new SecurityGroup(this, 'GpuInstanceSecurityGroup', {
      vpc: this.vpc,
      description: 'Quartermaster GPU container instances: no inbound, outbound to ECS, registries and NAT',
      allowAllOutbound: true,
    });
    const instanceRole = new Role(this, 'GpuInstanceRole', {
      assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
      description: 'ECS container agent on GPU instances',
    });
    const launchTemplate = new LaunchTemplate(this, 'GpuLaunchTemplate', {
      machineImage: EcsOptimizedImage.amazonLinux2(AmiHardwareType.GPU),
      instanceType: new InstanceType(instanceType),
      // ECS appends the cluster join script to this.
      userData: UserData.forLinux(),
      role: instanceRole,
      securityGroup: instanceSecurityGroup,
      requireImdsv2: true,
      // Hop limit 1: containers in awsvpc tasks cannot reach the instance's metadata (and its role).
      httpPutResponseHopLimit: 1,
      detailedMonitoring: true,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: BlockDeviceVolume.ebs(rootVolumeGiB, {
            encrypted: true,
            volumeType: EbsDeviceVolumeType.GP3,
            deleteOnTermination: true,
          }),
        },
      ],
    });
    const group = new AutoScalingGroup(this, 'GpuAutoScalingGroup', {
      vpc: this.vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      launchTemplate,
      minCapacity: 0,
      maxCapacity: maxInstances,
      // Required by managed termination protection: ECS decides which instances may go.
      newInstancesProtectedFromScaleIn: true,
      healthChecks: HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      cooldown: Duration.minutes(5),
    });
    // AS3: scaling is driven and reported by ECS managed scaling (capacity provider events, CloudWatch metrics).
    Validations.of(group).acknowledge({
      id: 'AwsSolutions-AS3',
      reason: 'ECS managed scaling drives this group; scaling activity is visible in ECS and CloudWatch, no SNS notifications needed',
    });
    // ECS adds the container agent's policy to the instance role (cluster registration, polling, logs).
    Validations.of(instanceRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::ecs:Submit*]',
        reason:
          "CDK's standard ECS container-instance policy: the agent reports task and container state (Submit*), scoped to this cluster",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ECS container-instance policy: ecs:DiscoverPollEndpoint and ecr:GetAuthorizationToken have no resource-level permissions; Poll/StartTelemetrySession carry an ecs:cluster condition',
      },
    );
    return new AsgCapacityProvider(this, 'GpuCapacityProvider', {
      autoScalingGroup: group,
      capacityProviderName: `qm-${stage}-gpu-${instanceType.replace(/\./g, '-')}`,
      enableManagedScaling: true,
      targetCapacityPercent: 100,
      enableManagedTerminationProtection: true,
    });
  }

  private createJobExecutionRole(): Role {
    const role = new Role(this, 'JobExecutionRole', {
      assumedBy: new ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'ECS agent for Quartermaster jobs: pull images, write job logs',
    });
    this.jobLogGroup.grantWrite(role);
    // Inline instead of AmazonECSTaskExecutionRolePolicy: same image-pull rights, logs only to the job group.
    role.addToPolicy(
      new PolicyStatement({
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [`arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/*`],
      }),
    );
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken has no resource-level permissions',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/*]',
        reason: 'Jobs name their image at submission; any ECR repository of this account may hold it',
      },
    );
    return role;
  }
}
