import { Aws, Validations } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StageConfig } from '#lib/config/stage-config';

/** Secrets Manager names of this stage start with it: identity-provider secrets are `<prefix>idp/<id>`, cluster credentials `<prefix>clusters/<id>`. */
export const secretPrefixOf = (config: StageConfig): string => `quartermaster/${config.stage}/`;

/** Name of the stage's approval-link key (created in the identity stack; read by the approval-links function and the notifier). */
export const approvalLinkKeyName = (config: Pick<StageConfig, 'stage'>): string => `quartermaster/${config.stage}/approval-link-key`;

/** Every registered cluster's credential (generic clusters; EKS clusters store none). */
export const clusterSecretsArn = (config: StageConfig): string =>
  `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretPrefixOf(config)}clusters/*`;

/**
 * Lets `fn` read (or, for the clusters API, also store and rotate) registered clusters' credentials: the
 * stage's `clusters/` prefix only. The wildcard is that prefix: cluster secrets are created at run time.
 */
export function grantClusterSecrets(fn: IFunction, config: StageConfig, access: 'read' | 'write'): void {
  const actions =
    access === 'read'
      ? ['secretsmanager:GetSecretValue']
      : ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:GetSecretValue'];
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [clusterSecretsArn(config)] }));
  Validations.of(fn.role ?? fn).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secretPrefixOf(config)}clusters/*]`,
    reason: 'Cluster credentials are stored at run time through the clusters API, one per registered cluster, under this stage prefix only',
  });
}

/**
 * What a function does inside a cluster, hence its EKS access policy (always scoped to the allowed namespaces):
 * - `launch`: create and delete Jobs (AmazonEKSEditPolicy): the dispatcher;
 * - `read`: read Jobs, pods and pod logs (AmazonEKSViewPolicy): the status poller, job output;
 * - `capacity`: `read`, plus the Kubernetes group {@link CAPACITY_GROUP} that the cluster admin binds to a
 *   ClusterRole reading nodes and pods cluster-wide (docs/kubernetes.md): health and GPU capacity views.
 */
export type KubeAccess = 'launch' | 'read' | 'capacity';

/** The Kubernetes group health checks belong to; its ClusterRoleBinding is in docs/kubernetes.md. */
export const CAPACITY_GROUP = 'quartermaster-capacity-readers';

export interface EksAccessEntriesProps {
  readonly config: StageConfig;
  /** Each function role that talks to clusters, with what it does there; `name` keeps construct ids stable. */
  readonly principals: readonly { name: string; role: IRole; access: KubeAccess }[];
}

/**
 * EKS access entries (authentication mode API) for the stage's EKS clusters (`eksAccess`): one per cluster and
 * function role, so the IAM token a function signs (docs/kubernetes.md#eks-authentication) maps to exactly the
 * rights that function needs, in the allowed namespaces only. No IAM grant is needed on the AWS side: the
 * token is a presigned sts:GetCallerIdentity, which every principal may call.
 */
export class EksAccessEntries extends Construct {
  readonly entries: CfnAccessEntry[] = [];

  constructor(scope: Construct, id: string, props: EksAccessEntriesProps) {
    super(scope, id);
    for (const cluster of props.config.eksAccess) {
      for (const { name, role, access } of props.principals) {
        const policy = access === 'launch' ? 'AmazonEKSEditPolicy' : 'AmazonEKSViewPolicy';
        this.entries.push(
          new CfnAccessEntry(this, `${cluster.clusterName}-${name}`, {
            clusterName: cluster.clusterName,
            principalArn: role.roleArn,
            type: 'STANDARD',
            accessPolicies: [
              {
                policyArn: `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${policy}`,
                accessScope: { type: 'namespace', namespaces: [...cluster.namespaces] },
              },
            ],
            ...(access === 'capacity' ? { kubernetesGroups: [CAPACITY_GROUP] } : {}),
          }),
        );
      }
    }
  }
}
