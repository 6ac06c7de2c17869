import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { TokenSigner } from '#domain/identity/identity.port';
import { publicJwk, signingInput } from '#adapters/jwt/jwt-encoding';

/**
 * Session tokens signed by an asymmetric KMS key (RSA_2048, SIGN_VERIFY): the private key never leaves
 * KMS, the function needs only `kms:Sign` and `kms:GetPublicKey` on that one key. The public key is read
 * once per cold start.
 */
export class KmsTokenSigner implements TokenSigner {
  private jwk: Promise<Record<string, unknown>> | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  private publicKey(): Promise<Record<string, unknown>> {
    this.jwk ??= this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })).then((result) => {
      if (!result.PublicKey) throw new Error('KMS returned no public key');
      return publicJwk(createPublicKey({ key: Buffer.from(result.PublicKey), format: 'der', type: 'spki' }));
    });
    this.jwk.catch(() => (this.jwk = undefined));
    return this.jwk;
  }

  async sign(claims: Record<string, unknown>): Promise<string> {
    const jwk = await this.publicKey();
    const input = signingInput(String(jwk.kid), claims);
    const result = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: Buffer.from(input),
        MessageType: 'RAW',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    if (!result.Signature) throw new Error('KMS returned no signature');
    return `${input}.${Buffer.from(result.Signature).toString('base64url')}`;
  }

  async publicJwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: [await this.publicKey()] };
  }
}
