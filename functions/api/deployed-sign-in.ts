import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createDocumentClient } from '#adapters/dynamodb/dynamo-client';
import { DynamoEventOutbox } from '#adapters/dynamodb/dynamo-event-outbox.repository';
import { KmsTokenSigner } from '#adapters/kms/kms-token-signer.client';
import { boundedAwsClientConfig } from '#adapters/runtime/dependency-outage';
import { SecretsManagerStore } from '#adapters/secrets/secrets-manager.client';
import type { ApiRuntime } from './api-access';
import type { SignInEdges } from './sign-in-composition';

/**
 * The AWS clients both deployed sign-in functions hand to their composition (Lambda only: the local stack and
 * the tests hand their own): DynamoDB (events through its outbox), Secrets Manager and the KMS session signer.
 */
export function deployedSignInEdges(env: {
  QM_DYNAMODB_ENDPOINT?: string | undefined;
  QM_TABLE_NAME: string;
  QM_SESSION_KMS_KEY_ID: string;
  QM_SECRET_NAME_PREFIX: string;
}): ApiRuntime & SignInEdges {
  const doc = createDocumentClient({ endpoint: env.QM_DYNAMODB_ENDPOINT });
  return {
    doc,
    events: new DynamoEventOutbox(doc, env.QM_TABLE_NAME),
    secrets: new SecretsManagerStore(new SecretsManagerClient(boundedAwsClientConfig()), { namePrefix: env.QM_SECRET_NAME_PREFIX }),
    signer: new KmsTokenSigner(new KMSClient(boundedAwsClientConfig()), env.QM_SESSION_KMS_KEY_ID),
  };
}
