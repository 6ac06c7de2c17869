/**
 * Links an account at an identity provider to a Quartermaster user (docs/architecture.md#identity): `issuer#sub` for
 * OIDC/Cognito, the entry's DN for LDAP, always qualified by the provider id, so the same `sub` at two
 * providers can never name the same user by accident.
 */
export interface ExternalIdentityLink {
  providerId: string;
  subject: string;
  userId: string;
  createdAt: string;
}

export interface ExternalIdentityRepository {
  get(providerId: string, subject: string): Promise<ExternalIdentityLink | undefined>;
  /** Creates the link unless one exists; returns the link that is stored afterwards (ours or the winner's). */
  link(link: ExternalIdentityLink): Promise<ExternalIdentityLink>;
}

/**
 * "First user becomes admin" (opt-in): exactly one caller ever wins the claim, whichever Lambda instance
 * it runs on (a conditional write).
 */
export interface BootstrapRegistry {
  claimFirstAdmin(userId: string, at: string): Promise<boolean>;
  /** The user who won the claim, if anyone did. */
  firstAdmin(): Promise<string | undefined>;
}
