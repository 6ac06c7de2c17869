import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoFleetDirectory } from '#adapters/dynamodb/dynamo-fleet.repository';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { dynamoSubmissionReads } from '#functions/api/submission-reads';
import { createExplainHandler } from './explain.app';
import { explainEnvSchema } from './explain.env';

// Composition root of the deployed dry-run function: the same reads and settings as the jobs function, no event bus.
const env = loadEnv(explainEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const access = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createExplainHandler({
  ...dynamoSubmissionReads(doc, env.QM_TABLE_NAME, env),
  fleets: new DynamoFleetDirectory(doc, env.QM_TABLE_NAME),
  principalGate: access.principalGate,
  audit: access.audit,
});
