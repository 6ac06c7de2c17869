import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '#domain/secrets/secrets.port';

/**
 * AWS Secrets Manager behind the {@link SecretStore} port. Values are cached in memory for `ttlMs`
 * (default 5 minutes) so a warm function does not pay a call per login; `put` invalidates the entry.
 * Secrets this store creates live under `namePrefix` (the functions' IAM policy is scoped to it).
 */
export class SecretsManagerStore implements SecretStore {
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: { namePrefix: string; kmsKeyId?: string | undefined; ttlMs?: number },
  ) {}

  get(ref: string): Promise<string> {
    const cached = this.cache.get(ref);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = this.client.send(new GetSecretValueCommand({ SecretId: ref })).then((result) => {
      if (typeof result.SecretString !== 'string' || result.SecretString === '') throw new Error('secret has no string value');
      return result.SecretString;
    });
    this.cache.set(ref, { value, until: Date.now() + (this.options.ttlMs ?? 300_000) });
    value.catch(() => this.cache.delete(ref));
    return value;
  }

  async put(name: string, value: string): Promise<string> {
    const secretId = `${this.options.namePrefix}${name}`;
    try {
      const result = await this.client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
      this.cache.clear();
      return result.ARN ?? secretId;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const created = await this.client.send(
      new CreateSecretCommand({
        Name: secretId,
        SecretString: value,
        ...(this.options.kmsKeyId ? { KmsKeyId: this.options.kmsKeyId } : {}),
        Description: 'Quartermaster identity provider credential (written through the admin API)',
      }),
    );
    return created.ARN ?? secretId;
  }
}
