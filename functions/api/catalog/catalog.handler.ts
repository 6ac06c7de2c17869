import { DynamoHardwareCatalog } from '#adapters/dynamodb/dynamo-catalog.repository';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { loadEnv } from '#config/env';
import { dynamoApiAccess } from '#functions/api/api-access';
import { createCatalogHandler } from './catalog.app';
import { catalogEnvSchema } from './catalog.env';

const env = loadEnv(catalogEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
const { principalGate, audit } = dynamoApiAccess(doc, env.QM_TABLE_NAME, env);

export const handler = createCatalogHandler({ catalog: new DynamoHardwareCatalog(doc, env.QM_TABLE_NAME), principalGate, audit });
