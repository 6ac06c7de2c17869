import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_USERS } from './seed';
import { demoPassword } from './local-identity';
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

console.log('Starting the Quartermaster local stack (DynamoDB Local, local SQS, scheduler, dispatcher, notifier, local backend)…');
const port = Number(values.port);
// Fixed ports next to the API's, so bookmarks and the seeded webhook channel's URL survive restarts.
const next = (offset: number) => (port === 0 ? 0 : port + offset);
const stack = await startLocalStack({
  port,
  idpPort: next(1),
  consolePort: next(2),
  notificationPorts: { mailbox: next(3), receiver: next(4), smtp: next(5) },
  dataDir,
  log,
});
// `npm run token` reads this to find the running stack's IdP and certificate.
await mkdir(dataDir, { recursive: true });
await writeFile(
  join(dataDir, 'endpoints.json'),
  JSON.stringify({ api: stack.url, issuer: stack.identity.issuer, caFile: stack.identity.caFile }, null, 2),
);

const users = DEMO_USERS.map(
  (user) =>
    `    ${user.id.padEnd(5)} ${user.orgId.padEnd(7)} ${user.level.padEnd(11)} ${(user.platformAdmin ? 'platform admin' : '').padEnd(15)}password ${demoPassword(user.id)}`,
).join('\n');
console.log(`
Quartermaster is running (local stack).

  Console      ${stack.consoleUrl ?? '(not built: npm --prefix web run build)'}
  API          ${stack.url}
  Health       ${stack.url}/health/ready
  OpenAPI      docs/openapi.json
  DynamoDB     ${stack.dynamoDbEndpoint}  (table "${stack.tableName}")
  SQS          ${stack.sqsEndpoint}
  Dev IdP      ${stack.identity.issuer}  (OpenID Connect, self-signed certificate: ${stack.identity.caFile})
  Mailbox      ${stack.notifications.mailboxUrl}  (dev mailbox: every notification email; SMTP sink ${stack.notifications.smtp}, stands in for SES)
  Webhooks     ${new URL(stack.notifications.webhookUrl).origin}  (dev webhook receiver: verifies signatures; target ${stack.notifications.webhookUrl}, secret ${stack.notifications.webhookSecret})
  Kubernetes   ${stack.kubernetes.endpoint}  (cluster "${stack.kubernetes.cluster}": a fake API server, test double; docs/kubernetes.md)
  Data         ${dataDir}  (reset with: npm run dev -- --reset)

Sign in as a demo user at the dev identity provider (real login page, local stack only):
${users}

  Browser:       ${stack.url}/v1/auth/oidc/dev/login   (answers with a Quartermaster session)
  Command line:  TOKEN=$(npm run -s token -- rae)        (an access token from the dev IdP)

Try it:
  TOKEN=$(npm run -s token -- rae)
  curl -s ${stack.url}/v1/me -H "Authorization: Bearer $TOKEN"
  curl -s -X POST ${stack.url}/v1/jobs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"name":"hello","image":"busybox","command":["sh","-c","echo hello from the GPU queue"],"hardwareType":"gpu-a10g-1x","maxRuntimeMinutes":5}'
  curl -s ${stack.url}/v1/jobs -H "Authorization: Bearer $TOKEN"
  # the same on the dev Kubernetes cluster (namespace research):
  curl -s -X POST ${stack.url}/v1/jobs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"name":"hello-k8s","image":"busybox","command":["sh","-c","echo hello from ${stack.kubernetes.cluster}"],"hardwareType":"gpu-a10g-1x","maxRuntimeMinutes":5,"cluster":"${stack.kubernetes.cluster}"}'

Notifications: org acme's channels "Dev mailbox" and "Dev webhook receiver" get every event; try one as ada:
  TOKEN=$(npm run -s token -- ada)
  curl -s -X POST ${stack.url}/v1/notification-channels/dev-webhook/test -H "Authorization: Bearer $TOKEN"

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
