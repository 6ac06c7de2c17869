/**
 * `tsx scripts/local/ensure-tools.ts`: makes sure Java, DynamoDB Local, slapd and chromium are installed before a test run,
 * so a first download or apt install happens here, visibly, instead of inside a test hook's timeout.
 */
import { ensureChromium } from './chromium';
import { ensureDynamoDbLocal } from './dynamodb-local';
import { ensureJava } from './java';
import { ensureSlapd } from './slapd';

const java = ensureJava();
const dir = await ensureDynamoDbLocal();
// OpenLDAP slapd: the LDAP login tests start their own instance (a user process on a loopback port).
const slapd = ensureSlapd();
// Chromium: the console's browser tests (playwright-core drives Debian's build).
const chromium = ensureChromium();
console.error(`tools: ${java}; DynamoDB Local in ${dir}; ${slapd}; ${chromium}`);
