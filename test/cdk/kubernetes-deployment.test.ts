import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CAPACITY_GROUP } from '#lib/constructs/kubernetes-access';
import { actionsOf, policyStatementsOfRole, synthQuartermaster, type Statement } from './quartermaster-app.fixture';

/**
 * A stage that offers the kubernetes backend and maps two EKS clusters of its account (docs/kubernetes.md,
 * "Deploying with EKS"): the dispatcher launches Kubernetes jobs, a scheduled poller reads them, job output
 * reads pod logs, every one of them reads cluster credentials under the stage's prefix only, and each function
 * role gets an EKS access entry scoped to the allowed namespaces. cdk-nag runs on this synth too.
 */
const { stacks, template, assembly } = synthQuartermaster({
  nag: true,
  config: {
    backends: ['ecs', 'kubernetes'],
    eksAccess: [
      { clusterName: 'gpu-east', namespaces: ['team-x-dev', 'research'] },
      { clusterName: 'gpu-west', namespaces: ['research'] },
    ],
  },
});
const workflows = template(stacks.workflows);
const api = template(stacks.api);
const logicalId = (construct: { node: { defaultChild?: unknown } }, stack: typeof stacks.workflows | typeof stacks.api) =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);

const CLUSTER_SECRETS = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':secretsmanager:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':secret:quartermaster/prod/clusters/*',
    ],
  ],
};
const secretStatements = (statements: Statement[]) => statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));

describe('Kubernetes deployment: dispatcher', () => {
  it('offers the kubernetes backend and reads cluster credentials under the stage prefix only', () => {
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Launches admitted jobs'),
      Environment: { Variables: Match.objectLike({ QM_BACKENDS: 'ecs,kubernetes', QM_SECRET_NAME_PREFIX: 'quartermaster/prod/' }) },
    });
    const statements = secretStatements(policyStatementsOfRole(workflows, 'DispatcherRole'));
    expect(statements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: CLUSTER_SECRETS })]);
  });
});

describe('Kubernetes deployment: status poller', () => {
  const poller = stacks.workflows.kubePoller!;

  it('is one function, never concurrent, run every minute by an EventBridge schedule', () => {
    expect(poller).toBeDefined();
    workflows.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Polls registered Kubernetes clusters'),
      ReservedConcurrentExecutions: 1,
      // Its events go through the table's outbox (the relay alone holds the bus), so it has no bus to name.
      Environment: { Variables: Match.objectLike({ QM_SECRET_NAME_PREFIX: 'quartermaster/prod/', QM_EVENT_BUS_NAME: Match.absent() }) },
    });
    workflows.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(poller, stacks.workflows), 'Arn'] } })],
    });
  });

  it('reads cluster credentials under the stage prefix and nothing else of Secrets Manager', () => {
    const statements = secretStatements(policyStatementsOfRole(workflows, 'KubePollerRole'));
    expect(statements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: CLUSTER_SECRETS })]);
  });
});

describe('Kubernetes deployment: job output', () => {
  it('the logs function offers pod logs and may read cluster credentials', () => {
    api.hasResourceProperties('AWS::Lambda::Function', {
      Description: "Read a job's output",
      Environment: { Variables: Match.objectLike({ QM_BACKENDS: 'ecs,kubernetes', QM_SECRET_NAME_PREFIX: 'quartermaster/prod/' }) },
    });
    const statements = secretStatements(policyStatementsOfRole(api, 'FunctionsLogsRole'));
    expect(statements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: CLUSTER_SECRETS })]);
  });
});

describe('Kubernetes deployment: EKS access entries', () => {
  const entries = Object.values(api.findResources('AWS::EKS::AccessEntry')) as {
    Properties: {
      ClusterName: string;
      PrincipalArn: unknown;
      AccessPolicies: { PolicyArn: unknown; AccessScope: { Type: string; Namespaces: string[] } }[];
      KubernetesGroups?: string[];
    };
  }[];
  const policyOf = (entry: (typeof entries)[number]) => JSON.stringify(entry.Properties.AccessPolicies[0]!.PolicyArn);
  const principalOf = (entry: (typeof entries)[number]) => JSON.stringify(entry.Properties.PrincipalArn);

  it('maps each function role that talks to clusters, once per cluster', () => {
    // Dispatcher, poller, job output, the clusters API and deep health, on each of the two clusters.
    expect(entries).toHaveLength(10);
    expect(new Set(entries.map((e) => `${e.Properties.ClusterName} ${principalOf(e)}`)).size).toBe(10);
  });

  it('scopes every access policy to the namespaces allowed on its cluster', () => {
    for (const entry of entries) {
      expect(entry.Properties.AccessPolicies).toHaveLength(1);
      expect(entry.Properties.AccessPolicies[0]!.AccessScope).toEqual({
        Type: 'namespace',
        Namespaces: entry.Properties.ClusterName === 'gpu-east' ? ['team-x-dev', 'research'] : ['research'],
      });
    }
  });

  it('lets only the dispatcher edit (launch and delete Jobs); the others view, and health also reads capacity', () => {
    const edit = entries.filter((e) => policyOf(e).includes('AmazonEKSEditPolicy'));
    expect(edit).toHaveLength(2);
    for (const entry of edit) expect(principalOf(entry)).toContain('Dispatcher');
    const view = entries.filter((e) => policyOf(e).includes('AmazonEKSViewPolicy'));
    expect(view).toHaveLength(8);
    const capacity = entries.filter((e) => e.Properties.KubernetesGroups?.includes(CAPACITY_GROUP));
    expect(capacity).toHaveLength(4);
    for (const entry of capacity) expect(principalOf(entry)).toMatch(/Clusters|HealthDeep/);
  });
});

describe('Kubernetes deployment: cdk-nag', () => {
  it('reports no unacknowledged finding with the kubernetes backend and EKS access entries', () => {
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
    };
    expect(existsSync(join(assembly.directory, 'validation-report.json'))).toBe(true);
    const findings = report.pluginReports.flatMap((p) =>
      p.violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`),
    );
    expect(findings).toEqual([]);
  });
});
