import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_USERS } from './seed';
import { startLocalStack } from './local-stack';

/**
 * `npm run dev`: the whole local stack in the foreground. Data persists in `.local/` between runs;
 * `npm run dev -- --reset` starts from an empty table. Ctrl-C stops every process it started.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.QM_PORT ?? '8787' },
    reset: { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: process.env.QM_DATA_DIR ?? '.local' },
  },
});

const dataDir = resolve(values['data-dir']);
if (values.reset) {
  await rm(join(dataDir, 'dynamodb'), { recursive: true, force: true });
  await rm(join(dataDir, 'runs'), { recursive: true, force: true });
}

const log = (message: string, details?: Record<string, unknown>) =>
  console.log(JSON.stringify({ level: 'INFO', time: new Date().toISOString(), message, ...details }));

console.log('Starting the Quartermaster local stack (DynamoDB Local, local SQS, scheduler, dispatcher, local backend)…');
const stack = await startLocalStack({ port: Number(values.port), dataDir, log });

const tokens = DEMO_USERS.map((user) => `    ${user.level.padEnd(10)} ${user.displayName.padEnd(18)} Authorization: Bearer dev:${user.id}`).join('\n');
console.log(`
Quartermaster is running (local stack).

  API          ${stack.url}
  Health       ${stack.url}/health/ready
  OpenAPI      docs/openapi.json
  DynamoDB     ${stack.dynamoDbEndpoint}  (table "${stack.tableName}")
  SQS          ${stack.sqsEndpoint}
  Data         ${dataDir}  (reset with: npm run dev -- --reset)

Authenticate with a demo user's development token (local stack only):
${tokens}

Try it:
  curl -s -X POST ${stack.url}/v1/jobs -H 'Authorization: Bearer dev:rae' -H 'Content-Type: application/json' \\
    -d '{"name":"hello","image":"busybox","command":["sh","-c","echo hello from the GPU queue"],"hardwareType":"gpu-a10g-1x","maxRuntimeMinutes":5}'
  curl -s ${stack.url}/v1/jobs -H 'Authorization: Bearer dev:rae'

Press Ctrl-C to stop.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack…`);
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
