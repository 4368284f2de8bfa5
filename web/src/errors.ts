import type { TFunction } from 'i18next';
import { isApiError } from './api';

type ErrorKey =
  | 'invalid_credentials'
  | 'workspace_required'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'validation'
  | 'network_error'
  | 'email_taken'
  | 'not_dead'
  | 'reply_window_closed'
  | 'opted_out'
  | 'message_too_long';

/** Server error codes with their own translated message. */
const CODE_KEYS: Readonly<Record<string, ErrorKey>> = {
  invalid_credentials: 'invalid_credentials',
  workspace_required: 'workspace_required',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  not_found: 'not_found',
  validation_failed: 'validation',
  network_error: 'network_error',
  email_taken: 'email_taken',
  not_dead: 'not_dead',
  reply_window_closed: 'reply_window_closed',
  opted_out: 'opted_out',
  message_too_long: 'message_too_long',
};

/** Codes whose server message adds useful specifics (e.g. which field is invalid). */
const SHOW_SERVER_DETAIL = new Set(['validation_failed', 'message_too_long']);

function keyForStatus(status: number): ErrorKey | null {
  switch (status) {
    case 0:
      return 'network_error';
    case 400:
    case 422:
      return 'validation';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    default:
      return null;
  }
}

export interface DescribedError {
  /** Translated, user-facing message. */
  message: string;
  /**
   * The server's own message when it adds specifics we cannot translate
   * (validation details, unknown codes). Rendered as plain text, never HTML.
   */
  detail: string | null;
}

export function describeError(t: TFunction, error: unknown): DescribedError {
  if (!isApiError(error)) return { message: t('errors.unknown', { status: '?' }), detail: null };

  if (error.code === 'rate_limited' || error.status === 429) {
    const message =
      error.retryAfter !== null && error.retryAfter > 0
        ? t('errors.rate_limited_in', { count: error.retryAfter })
        : t('errors.rate_limited');
    return { message, detail: null };
  }

  const known = CODE_KEYS[error.code];
  if (known) {
    return { message: t(`errors.${known}`), detail: SHOW_SERVER_DETAIL.has(error.code) && error.message ? error.message : null };
  }

  if (error.status >= 500) return { message: t('errors.server', { status: error.status }), detail: null };
  const fallback = keyForStatus(error.status);
  const detail = error.message || null;
  return { message: fallback ? t(`errors.${fallback}`) : t('errors.unknown', { status: error.status }), detail };
}
