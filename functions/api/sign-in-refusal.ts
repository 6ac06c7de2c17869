import { AppError } from '#domain/errors/app-error';
import { LoginFailure, type LoginContext } from '#domain/identity/login-failure';

/** Every refusal looks the same from outside (docs/architecture.md#identity): no oracle for unknown users or disabled accounts. */
const SIGN_IN_FAILED = 'Sign-in failed';

/** Runs a sign-in step and turns any `LoginFailure` into the one 401 every refusal gets. */
export async function refusing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LoginFailure) throw new AppError('unauthenticated', SIGN_IN_FAILED);
    throw error;
  }
}

/** Where a sign-in came from, for its audit entry (never a credential). */
export const contextOf = (ctx: { sourceIp: string; requestId: string }): LoginContext => ({
  sourceIp: ctx.sourceIp,
  requestId: ctx.requestId,
});
