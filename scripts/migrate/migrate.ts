import { parseArgs } from 'node:util';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { migrateEstimateBasis } from './estimate-basis';
import { migrateToGlobalShards } from './global-concurrency-shards';
import { migrateToJobStateShards } from './job-state-shards';
import { migrateToOrgQueueDepth } from './org-queue-depth';
import { migrateToOrgScopedKeys } from './org-scoped-keys';

/**
 * `npx tsx scripts/migrate/migrate.ts --table <name> [--endpoint <url>]`: runs the data migrations against
 * a deployed table (the regional endpoint and the caller's AWS credentials) or a local one (`--endpoint`).
 * The local stack runs them itself at start. Prints the report as JSON; exits 1 if anything was left over.
 */
const { values } = parseArgs({ options: { table: { type: 'string' }, endpoint: { type: 'string' } } });
if (!values.table) {
  process.stderr.write('usage: npx tsx scripts/migrate/migrate.ts --table <name> [--endpoint <url>]\n');
  process.exit(2);
}
const doc = createDocumentClient(values.endpoint ? { endpoint: values.endpoint } : {});
const report = await migrateToOrgScopedKeys(doc, values.table);
const depth = await migrateToOrgQueueDepth(doc, values.table);
const stateIndex = await migrateToJobStateShards(doc, values.table);
const shards = await migrateToGlobalShards(doc, values.table);
const estimates = await migrateEstimateBasis(doc, values.table);
process.stdout.write(
  `${JSON.stringify(
    {
      'org-scoped-keys': report,
      'org-queue-depth': depth,
      'job-state-shards': stateIndex,
      'global-concurrency-shards': shards,
      'estimate-basis': estimates,
    },
    null,
    2,
  )}\n`,
);
if (report.unattributed.length > 0) process.exit(1);
