import { AppError } from '#domain/errors/app-error';
import type { IdentityProvider } from './identity-provider.schema';

/**
 * No two providers accept the same sign-ins (docs/permissions.md#tenancy). Otherwise an org admin could register a second
 * configuration of another org's issuer and audience (the authorizer tries every configuration of a token's
 * issuer) and receive that org's users into their own org; or claim the issuer of Quartermaster's own
 * session tokens or of the stack's Cognito pool.
 */

/** Issuers compare without trailing slashes: `https://idp/` and `https://idp` are the same authority here. */
const normalizeIssuer = (issuer: string): string => issuer.replace(/\/+$/, '');

/** `iss` of a Cognito user pool's tokens. */
export const cognitoIssuer = (userPoolId: string): string =>
  `https://cognito-idp.${userPoolId.split('_')[0] ?? ''}.amazonaws.com/${userPoolId}`;

/** LDAP: one directory subtree, one provider. Host and port compare case-insensitively (scheme aside), DNs without spaces. */
const ldapKey = (url: string, baseDn: string): string =>
  `${url
    .replace(/^ldaps?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase()}|${baseDn
    .replace(/\s*,\s*/g, ',')
    .trim()
    .toLowerCase()}`;

/** What a provider accepts: `issuer|audience` pairs of tokens (`aud`, or Cognito's `client_id`), or an LDAP subtree. */
function acceptedKeys(provider: IdentityProvider): { key: string; field: string }[] {
  if (provider.type === 'oidc')
    return [{ key: `${normalizeIssuer(provider.issuer)}|${provider.audience ?? provider.clientId}`, field: 'body.issuer' }];
  if (provider.type === 'cognito')
    return provider.clientIds.map((clientId) => ({ key: `${cognitoIssuer(provider.userPoolId)}|${clientId}`, field: 'body.clientIds' }));
  return [{ key: ldapKey(provider.url, provider.baseDn), field: 'body.baseDn' }];
}

function issuerOf(provider: IdentityProvider): { issuer: string; field: string } | undefined {
  if (provider.type === 'oidc') return { issuer: normalizeIssuer(provider.issuer), field: 'body.issuer' };
  if (provider.type === 'cognito') return { issuer: cognitoIssuer(provider.userPoolId), field: 'body.userPoolId' };
  return undefined;
}

/**
 * Refuses (409, code `conflict`) a provider that would accept tokens another provider already accepts, or
 * whose issuer is reserved (session tokens, the stack's Cognito pool). The other provider is not named: it
 * may belong to another org.
 */
export function assertAcceptsOwnSignIns(
  candidate: IdentityProvider,
  others: readonly IdentityProvider[],
  reservedIssuers: readonly string[],
): void {
  const issuer = issuerOf(candidate);
  if (issuer && reservedIssuers.some((reserved) => normalizeIssuer(reserved) === issuer.issuer)) {
    throw new AppError('conflict', 'This issuer belongs to Quartermaster itself (its session tokens or the stack’s Cognito pool)', {
      field: issuer.field,
      reason: 'reserved_issuer',
    });
  }
  const taken = new Set(others.filter((other) => other.id !== candidate.id).flatMap((other) => acceptedKeys(other).map(({ key }) => key)));
  const clash = acceptedKeys(candidate).find(({ key }) => taken.has(key));
  if (clash) {
    const what = candidate.type === 'ldap' ? 'this directory (url and base DN)' : 'tokens of this issuer and audience';
    throw new AppError('conflict', `Another identity provider already accepts ${what}`, { field: clash.field, reason: 'sign_ins_taken' });
  }
}
