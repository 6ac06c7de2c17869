import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { devIdpTokens } from './dev-idp-login';
import { demoPassword } from './local-identity';

/**
 * `npm run -s token -- <user> [--password <p>] [--id-token]`: signs in at the running local stack's dev
 * IdP (the real authorization code flow with PKCE) and prints an access token for `Authorization: Bearer`.
 * Demo users' passwords are filled in; stdout carries the token and nothing else.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    password: { type: 'string' },
    'data-dir': { type: 'string', default: process.env.QM_DATA_DIR ?? '.local' },
  },
});
const user = positionals[0];
if (!user) {
  process.stderr.write('usage: npm run -s token -- <user> [--password <password>]   (demo users: ada, lin, rae, vic, gus)\n');
  process.exit(2);
}
const endpointsFile = join(resolve(values['data-dir']), 'endpoints.json');
let endpoints: { issuer: string; caFile: string };
try {
  endpoints = JSON.parse(await readFile(endpointsFile, 'utf8')) as { issuer: string; caFile: string };
} catch {
  process.stderr.write(`token: no running local stack found (${endpointsFile}); start one with: npm run dev\n`);
  process.exit(1);
}
const tokens = await devIdpTokens({
  issuer: endpoints.issuer,
  username: user,
  password: values.password ?? demoPassword(user),
  ca: await readFile(endpoints.caFile, 'utf8'),
});
process.stdout.write(`${tokens.accessToken}\n`);
