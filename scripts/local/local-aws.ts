/**
 * Client settings for the local AWS stand-ins. The emulators accept any credentials, but the SDK insists on
 * having some and would otherwise go looking in ~/.aws or the EC2 metadata service.
 */
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Config for any AWS SDK v3 client pointed at a local emulator: `new DynamoDBClient(localClientConfig(url))`. */
export function localClientConfig(endpoint: string): LocalClientConfig {
  return { endpoint, region: LOCAL_REGION, credentials: { ...LOCAL_CREDENTIALS } };
}
