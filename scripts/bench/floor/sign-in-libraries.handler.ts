import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { Client } from 'ldapts';
import * as oidc from 'openid-client';
import * as z from 'zod/mini';

/**
 * A REFERENCE POINT, not a floor: the libraries the sign-in functions cannot do without, and nothing of
 * Quartermaster. DynamoDB (users, state, refresh tokens), KMS (session tokens are signed by a key that never
 * leaves KMS), Secrets Manager (IdP client secrets, the LDAP bind password, break-glass), ldapts (LDAP/AD),
 * openid-client (OIDC code flow), zod, Powertools Logger and middy (the shared API stack, docs/architecture.md). The
 * bench prints its ratio to the GetItem floor beside the sign-in functions', so the part of their
 * cold start that their required libraries alone account for is measured in every run, not asserted.
 */
const body = z.object({ username: z.string(), password: z.string(), code: z.optional(z.string()) });
const dynamo = new DynamoDBClient({});
const kms = new KMSClient({});
const secrets = new SecretsManagerClient({});
const logger = new Logger();

export const handler = middy(async (event: unknown) => {
  const input = body.parse(event);
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'reference' }));
  if (input.code) {
    const config = await oidc.discovery(new URL('https://idp.invalid'), 'client', secret.SecretString);
    await oidc.authorizationCodeGrant(config, new URL(`https://app.invalid/callback?code=${input.code}`), {
      pkceCodeVerifier: 'v',
      expectedState: 's',
    });
  } else {
    const ldap = new Client({ url: 'ldaps://ldap.invalid' });
    await ldap.bind('cn=service', secret.SecretString ?? '');
    await ldap.search('dc=invalid', { filter: `(uid=${input.username})` });
    await ldap.unbind();
  }
  await dynamo.send(new GetItemCommand({ TableName: 'reference', Key: { pk: { S: input.username } } }));
  const signed = await kms.send(
    new SignCommand({ KeyId: 'reference', Message: new Uint8Array([1]), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
  );
  logger.info('signed in');
  return signed.Signature;
});
