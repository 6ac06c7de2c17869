/**
 * `tsx scripts/local/ensure-tools.ts`: makes sure Java and DynamoDB Local are installed before a test run,
 * so a first download or apt install happens here, visibly, instead of inside a test hook's timeout.
 */
import { ensureDynamoDbLocal } from './dynamodb-local';
import { ensureJava } from './java';

const java = ensureJava();
const dir = await ensureDynamoDbLocal();
console.error(`tools: ${java}; DynamoDB Local in ${dir}`);
