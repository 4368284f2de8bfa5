/** An error meant for the API client: a status, a stable machine code and a human message. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this') => new AppError(403, 'forbidden', message);
export const unauthenticated = (message = 'Log in or send an API key') => new AppError(401, 'unauthenticated', message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
