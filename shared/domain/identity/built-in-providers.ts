import type { CognitoProvider } from './identity-provider.schema';

/**
 * The stack's own Cognito user pool as a provider (docs/architecture.md#identity "cognito: the stack's user pool"), set up
 * from the deployment rather than the admin API: groups named after the levels map to those levels, users
 * are provisioned just in time into `orgId`, and a user in no such group is refused.
 */
export function builtInCognitoProvider(settings: { userPoolId: string; clientIds: string[]; orgId: string }): CognitoProvider {
  return {
    schemaVersion: 1,
    id: 'cognito',
    type: 'cognito',
    displayName: 'Cognito (this deployment)',
    // Maps into `orgId` only and grants no platform flag: an org's provider, though configured by the deployment.
    scope: 'org',
    enabled: true,
    jitProvisioning: true,
    defaultOrgId: settings.orgId,
    groupMappings: (['viewer', 'researcher', 'lead', 'admin'] as const).map((level) => ({
      group: level,
      level,
      teamIds: [],
      platformAdmin: false,
    })),
    userPoolId: settings.userPoolId,
    clientIds: settings.clientIds,
    groupsClaim: 'cognito:groups',
  };
}
