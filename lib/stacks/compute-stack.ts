import { Aws, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Cluster, ContainerInsights } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CatalogSeed } from '#lib/constructs/catalog-seed';
import { GpuFleet } from '#lib/constructs/gpu-fleet';
import type { DataStack } from './data-stack';
import type { QmStackProps } from './stack-props';

export interface ComputeStackProps extends QmStackProps {
  /** The table the stage's fleets and hardware catalog are written to at deploy. */
  readonly data: DataStack;
}

/**
 * Compute lifecycle: the network and the GPU capacity jobs run on. A VPC over two AZs (public subnets only
 * for NAT; instances and job tasks in private subnets), an ECS cluster, and one GPU fleet per entry of the
 * stage config's `fleets` (`GpuFleet`: Auto Scaling groups of ECS GPU-optimized instances that ECS managed
 * scaling grows from zero when tasks wait and shrinks back to zero when they end). The fleets and the
 * stage's hardware catalog are written to the table (`CatalogSeed`) so the dispatcher and the API place
 * and price jobs on what was deployed. Jobs get their own execution role, task role, security group and
 * log group.
 */
export class ComputeStack extends Stack {
  readonly vpc: Vpc;
  readonly cluster: Cluster;
  /** The cluster's name as a literal (not a token), so other stacks can build task ARNs without a reference. */
  readonly clusterName: string;
  /** One per fleet of the stage config, in its order. */
  readonly fleets: GpuFleet[];
  /** Security group of awsvpc job tasks: egress only. */
  readonly jobSecurityGroup: SecurityGroup;
  /** Role the ECS agent uses for a job: pull images, write job logs. */
  readonly jobExecutionRole: Role;
  /** Role a job's containers assume: no permissions by default. */
  readonly jobTaskRole: Role;
  readonly jobLogGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
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

    const instanceSecurityGroup = new SecurityGroup(this, 'GpuInstanceSecurityGroup', {
      vpc: this.vpc,
      description: 'Quartermaster GPU container instances: no inbound, outbound to ECS, registries and NAT',
      allowAllOutbound: true,
    });
    const instanceRole = this.createInstanceRole();
    this.fleets = config.fleets.map(
      (fleet) =>
        new GpuFleet(this, `Fleet-${fleet.name}`, {
          stage: config.stage,
          fleet,
          cluster: this.cluster,
          vpc: this.vpc,
          instanceRole,
          securityGroup: instanceSecurityGroup,
        }),
    );

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

    new CatalogSeed(this, 'CatalogSeed', { config, table: props.data.table, tableKey: props.data.tableKey });
    // Capacity providers by fleet, for operators reading the stack outputs (the dispatcher reads the table).
    for (const fleet of this.fleets) {
      const providers = Object.entries(fleet.capacityProviders).map(([kind, provider]) => `${kind}=${provider.capacityProviderName}`);
      new CfnOutput(this, `FleetCapacityProviders-${fleet.config.name}`, { value: providers.join(',') });
    }
    new CfnOutput(this, 'ClusterName', { value: this.clusterName });
  }

  /** The ECS container agent's role on every fleet's instances. */
  private createInstanceRole(): Role {
    const instanceRole = new Role(this, 'GpuInstanceRole', {
      assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
      description: 'ECS container agent on GPU instances',
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
    return instanceRole;
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
