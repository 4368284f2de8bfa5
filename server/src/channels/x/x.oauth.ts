import { DeliveryError } from '../../platform/outbox/outbox.ts';
import type { WebhookContext } from '../contract.ts';
import { describeProviderError, joinUrl, providerFetch } from '../http.ts';

export interface XOAuthConfig {
  apiBaseUrl: string;
  /** The app's OAuth 2.0 client id: needed to refresh the user token. */
  oauthClientId?: string;
}
export interface XOAuthSecrets {
  userAccessToken: string;
  /** With offline.access, X gives a refresh token; it rotates on every refresh. */
  refreshToken?: string;
  /** Confidential clients authenticate the refresh with it (HTTP basic). */
  oauthClientSecret?: string;
  /** When the access token expires (ISO time), as X said when it was issued. */
  userAccessTokenExpiresAt?: string;
}

type Ctx = WebhookContext<XOAuthConfig, XOAuthSecrets>;

// One refresh at a time per channel in this process: X rotates the refresh token, so two
// concurrent refreshes with the same one would make the second fail.
const refreshing = new Map<string, Promise<string>>();

const canRefresh = (ctx: Ctx) => Boolean(ctx.secrets.refreshToken && ctx.config.oauthClientId);

/**
 * Gets a new user access token with the refresh token and stores both (sealed). If the stored
 * token already differs from the one that failed, another node refreshed first: that one is used.
 */
export function refreshUserToken(ctx: Ctx, failedToken: string): Promise<string> {
  const running = refreshing.get(ctx.channel.id);
  if (running) return running;
  const task = (async () => {
    const stored = await ctx.storedSecrets();
    if (stored.userAccessToken !== failedToken) {
      ctx.secrets = stored;
      return stored.userAccessToken;
    }
    if (!stored.refreshToken || !ctx.config.oauthClientId) throw new DeliveryError('auth', 'The X user token was refused and there is no refresh token to renew it: connect the account again');
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stored.refreshToken, client_id: ctx.config.oauthClientId });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (stored.oauthClientSecret) headers.authorization = `Basic ${Buffer.from(`${ctx.config.oauthClientId}:${stored.oauthClientSecret}`).toString('base64')}`;
    const res = await providerFetch(joinUrl(ctx.config.apiBaseUrl, '2/oauth2/token'), {
      headers,
      body: form,
      // A refused refresh token (revoked, or already used) needs the admin: not a retry.
      classify: (r) => (r.status === 400 || r.status === 401 ? new DeliveryError('auth', `X refused the refresh token: ${describeProviderError(r)}`) : undefined),
    });
    const answer = res.json as { access_token?: string; refresh_token?: string; expires_in?: number } | null;
    if (!answer?.access_token) throw new DeliveryError('retryable', 'X answered the token refresh without an access_token');
    const expiresAt = answer.expires_in ? new Date(ctx.p.clock.now().getTime() + answer.expires_in * 1000).toISOString() : undefined;
    await ctx.saveSecrets({ userAccessToken: answer.access_token, refreshToken: answer.refresh_token ?? stored.refreshToken, userAccessTokenExpiresAt: expiresAt });
    ctx.p.log.info({ channelId: ctx.channel.id }, 'X user token refreshed');
    return answer.access_token;
  })().finally(() => refreshing.delete(ctx.channel.id));
  refreshing.set(ctx.channel.id, task);
  return task;
}

/**
 * Runs an API call with the account's user token: renewed first when it is about to expire, and
 * once more after a 401 (expired early, or revoked and re-issued).
 */
export async function withUserToken<T>(ctx: Ctx, call: (token: string) => Promise<T>): Promise<T> {
  let token = ctx.secrets.userAccessToken;
  const expiresAt = ctx.secrets.userAccessTokenExpiresAt ? Date.parse(ctx.secrets.userAccessTokenExpiresAt) : NaN;
  if (canRefresh(ctx) && Number.isFinite(expiresAt) && expiresAt - 60_000 <= ctx.p.clock.now().getTime()) token = await refreshUserToken(ctx, token);
  try {
    return await call(token);
  } catch (error) {
    if (!(error instanceof DeliveryError) || error.kind !== 'auth' || !canRefresh(ctx)) throw error;
    return call(await refreshUserToken(ctx, token));
  }
}
