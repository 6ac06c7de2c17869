import { Aws, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * Family prefix of every job task definition: `taskDefinitionFamily` in
 * `shared/adapters/ecs/ecs-task-definition.ts` names them `qm-<digest>` (a cdk test keeps the two in step).
 */
export const JOB_TASK_DEFINITION_FAMILY_PREFIX = 'qm-';

export interface EcsJobLaunchTarget {
  /** The cluster jobs run on: every task action carries an `ecs:cluster` condition on it. */
  readonly clusterArn: string;
  /** The cluster's literal name (task ARNs are `task/<cluster name>/<id>`). */
  readonly clusterName: string;
  /** The only two roles the launcher may pass, and only to ECS tasks. */
  readonly executionRole: IRole;
  readonly taskRole: IRole;
}

/**
 * What the ECS job backend (`shared/adapters/ecs/ecs-job-backend.client.ts`) calls, scoped as tightly as ECS allows:
 * find or register the job's task definition, run it on our cluster, find it again by `startedBy`, stop it,
 * tag what it creates, and pass the two job roles. The `*` resources are the actions ECS authorizes only
 * account-wide (RegisterTaskDefinition, DescribeTaskDefinition) or per cluster condition (ListTasks).
 */
export function grantEcsJobLaunch(fn: IFunction, target: EcsJobLaunchTarget): void {
  const ecsArn = (resource: string) => `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  const jobTaskDefinitions = ecsArn(`task-definition/${JOB_TASK_DEFINITION_FAMILY_PREFIX}*`);
  const clusterTasks = ecsArn(`task/${target.clusterName}/*`);
  const onCluster = { ArnEquals: { 'ecs:cluster': target.clusterArn } };

  fn.addToRolePolicy(new PolicyStatement({ actions: ['ecs:RegisterTaskDefinition', 'ecs:DescribeTaskDefinition'], resources: ['*'] }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['ecs:RunTask'], resources: [jobTaskDefinitions], conditions: onCluster }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['ecs:ListTasks'], resources: ['*'], conditions: onCluster }));
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['ecs:StopTask', 'ecs:DescribeTasks'], resources: [clusterTasks], conditions: onCluster }),
  );
  // Tags only while creating a task or task definition, never on existing resources.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ecs:TagResource'],
      resources: [jobTaskDefinitions, clusterTasks],
      conditions: { StringEquals: { 'ecs:CreateAction': ['RunTask', 'RegisterTaskDefinition'] } },
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [target.executionRole.roleArn, target.taskRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  );

  const role = fn.role;
  if (!role) throw new Error('grantEcsJobLaunch needs a function with a role');
  const arnPattern = (resource: string) =>
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:${resource}]`;
  Validations.of(role).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition have no resource-level permissions; ecs:ListTasks is held to our cluster by ecs:cluster',
    },
    {
      id: arnPattern(`task-definition/${JOB_TASK_DEFINITION_FAMILY_PREFIX}*`),
      reason:
        'Job task definitions are registered at run time under content-addressed qm-<digest> families; RunTask also requires our cluster',
    },
    {
      id: arnPattern(`task/${target.clusterName}/*`),
      reason: 'Task ids are assigned by ECS at launch; the pattern covers only tasks of our cluster',
    },
  );
}

/**
 * What the reconciler (`shared/adapters/ecs/ecs-run-observer.ts`) calls: DescribeTasks on the tasks of our
 * cluster, nothing else.
 */
export function grantEcsTaskReads(fn: IFunction, target: Pick<EcsJobLaunchTarget, 'clusterArn' | 'clusterName'>): void {
  const clusterTasks = `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:task/${target.clusterName}/*`;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['ecs:DescribeTasks'],
      resources: [clusterTasks],
      conditions: { ArnEquals: { 'ecs:cluster': target.clusterArn } },
    }),
  );
  const role = fn.role;
  if (!role) throw new Error('grantEcsTaskReads needs a function with a role');
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/${target.clusterName}/*]`,
    reason: 'Task ids are assigned by ECS at launch; the pattern covers only tasks of our cluster',
  });
}
