/**
 * `tsx scripts/local/ensure-tools.ts`: makes sure Java, DynamoDB Local and slapd are installed before a test run,
 * so a first download or apt install happens here, visibly, instead of inside a test hook's timeout.
 */
import { ensureDynamoDbLocal } from './dynamodb-local';
import { ensureJava } from './java';
import { ensureSlapd } from './slapd';

const java = ensureJava();
const dir = await ensureDynamoDbLocal();
// OpenLDAP slapd: the LDAP login tests start their own instance (a user process on a loopback port).
const slapd = ensureSlapd();
console.error(`tools: ${java}; DynamoDB Local in ${dir}; ${slapd}`);
