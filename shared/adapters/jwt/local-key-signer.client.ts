import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { TokenSigner } from '#domain/identity/identity.port';
import { publicJwk, signingInput } from './jwt-encoding';

/**
 * Signs session tokens with an RSA private key held in memory: the local stack's (generated into
 * `.local/`) and the tests'. Deployed functions use {@link KmsTokenSigner}, whose key never leaves KMS.
 */
export class LocalKeySigner implements TokenSigner {
  private readonly key: KeyObject;
  private readonly jwk: Record<string, unknown>;

  constructor(privateKeyPem: string) {
    this.key = createPrivateKey(privateKeyPem);
    this.jwk = publicJwk(createPublicKey(this.key));
  }

  async sign(claims: Record<string, unknown>): Promise<string> {
    const input = signingInput(String(this.jwk.kid), claims);
    return `${input}.${sign('sha256', Buffer.from(input), this.key).toString('base64url')}`;
  }

  async publicJwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: [this.jwk] };
  }
}
