import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import * as keys from '#adapters/dynamodb/table-keys';
import { orgIndexAttributes, userIndexAttributes } from '#adapters/dynamodb/keys';
import { DEFAULT_FLEETS, DEFAULT_GPU_HARDWARE } from '#domain/catalog/default-catalog';
import { fleetSchema, toDeployedFleet, type DeployedFleet } from '#domain/catalog/fleet.schema';
import { GPU_INSTANCE_TYPES } from '#domain/catalog/gpu-instance-types';
import type { HardwareType } from '#domain/catalog/hardware.schema';
import { userSchema, type User } from '#domain/users/user.schema';

/**
 * Demo data of the local stack: org acme with team vision and a user per level, a second org (globex, with
 * its own admin) to try tenant isolation against, and a small hardware catalog.
 */
export const DEMO_ORG = { id: 'acme', slug: 'acme', name: 'Acme Research' };
export const DEMO_TEAM = { id: 'vision', slug: 'vision', name: 'Vision', orgId: DEMO_ORG.id };
export const DEMO_OTHER_ORG = { id: 'globex', slug: 'globex', name: 'Globex Labs' };
export const DEMO_OTHER_TEAM = { id: 'robotics', slug: 'robotics', name: 'Robotics', orgId: DEMO_OTHER_ORG.id };

const at = '2026-01-01T00:00:00.000Z';
export const DEMO_USERS: User[] = [
  {
    schemaVersion: 1,
    id: 'ada',
    email: 'ada@acme.test',
    displayName: 'Ada (admin)',
    orgId: 'acme',
    level: 'admin',
    platformAdmin: true,
    teamIds: ['vision'],
    status: 'active',
    createdAt: at,
  },
  {
    schemaVersion: 1,
    id: 'lin',
    email: 'lin@acme.test',
    displayName: 'Lin (lead)',
    orgId: 'acme',
    level: 'lead',
    platformAdmin: false,
    teamIds: ['vision'],
    status: 'active',
    createdAt: at,
  },
  {
    schemaVersion: 1,
    id: 'rae',
    email: 'rae@acme.test',
    displayName: 'Rae (researcher)',
    orgId: 'acme',
    level: 'researcher',
    platformAdmin: false,
    teamIds: ['vision'],
    status: 'active',
    createdAt: at,
  },
  {
    schemaVersion: 1,
    id: 'vic',
    email: 'vic@acme.test',
    displayName: 'Vic (viewer)',
    orgId: 'acme',
    level: 'viewer',
    platformAdmin: false,
    teamIds: ['vision'],
    status: 'active',
    createdAt: at,
  },
  {
    schemaVersion: 1,
    id: 'gus',
    email: 'gus@globex.test',
    displayName: 'Gus (globex admin)',
    orgId: 'globex',
    level: 'admin',
    platformAdmin: false,
    teamIds: ['robotics'],
    status: 'active',
    createdAt: at,
  },
];

/**
 * The demo catalog: a CPU type for the local backend, and the GPU types a deployed stage ships by default
 * (the same list as the stage config's `hardwareTypes` default, each on its fleet).
 */
export const DEMO_HARDWARE: HardwareType[] = [
  {
    schemaVersion: 1,
    id: 'cpu-small',
    gpuModel: 'none',
    gpuCount: 0,
    vcpu: 2,
    memoryMiB: 4096,
    pricePerHourUsd: 0.1,
    enabled: true,
  },
  ...DEFAULT_GPU_HARDWARE.map((hardware) => ({ ...hardware })),
];

/** The default stage's fleets as a deployment records them (stage `local`), so explain can name them. */
export const DEMO_FLEETS: DeployedFleet[] = DEFAULT_FLEETS.map((fleet) =>
  toDeployedFleet('local', fleetSchema.parse(fleet), GPU_INSTANCE_TYPES),
);

/** Idempotent: rewriting the same demo items leaves the table as it was. */
export async function seedDemoData(doc: DynamoDBDocumentClient, tableName: string): Promise<void> {
  for (const org of [DEMO_ORG, DEMO_OTHER_ORG]) {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...keys.org(org.id), ...orgIndexAttributes(org.id), ...org, status: 'active', createdAt: at },
      }),
    );
  }
  for (const team of [DEMO_TEAM, DEMO_OTHER_TEAM]) {
    await doc.send(
      new PutCommand({ TableName: tableName, Item: { ...keys.team(team.orgId, team.id), ...team, status: 'active', createdAt: at } }),
    );
  }
  for (const user of DEMO_USERS.map((demo) => userSchema.parse(demo))) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...user, ...keys.user(user.id), ...userIndexAttributes(user) } }));
  }
  const catalog = new DynamoHardwareCatalog(doc, tableName);
  for (const hardware of DEMO_HARDWARE) await catalog.put(hardware);
  const fleets = new DynamoFleetDirectory(doc, tableName);
  for (const fleet of DEMO_FLEETS) await fleets.put(fleet);
}
