import { DynamoHardwareCatalog } from '../../../shared/adapters/dynamodb/dynamo-catalog.repository';
import { createDocumentClient } from '../../../shared/adapters/dynamodb/dynamo-client';
import { getLogger } from '../../../shared/adapters/logging/logger';
import { LoggerAuditLog } from '../../../shared/adapters/logging/logger-audit.log';
import { loadEnv } from '../../../shared/config/env';
import { createCatalogHandler } from './catalog.app';
import { catalogEnvSchema } from './catalog.env';

const env = loadEnv(catalogEnvSchema);
const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });

export const handler = createCatalogHandler({
  catalog: new DynamoHardwareCatalog(doc, env.QM_TABLE_NAME),
  audit: new LoggerAuditLog(getLogger()),
});
