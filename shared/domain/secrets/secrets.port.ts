/**
 * Where secret values live (docs/architecture.md#security-notes): IdP client secrets, LDAP bind passwords, the break-glass
 * secret. Configuration items hold only a reference; values are read at the moment of use, cached briefly
 * by the adapter, and never logged, returned or written to DynamoDB.
 */
export interface SecretStore {
  /** The value behind `ref`; throws when the secret does not exist or cannot be read. */
  get(ref: string): Promise<string>;
  /** Creates or updates the secret named `name`; returns the reference to store in configuration. */
  put(name: string, value: string): Promise<string>;
}
