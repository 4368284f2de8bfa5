/** Every table of Hoorn, for drizzle-kit and the typed query builder. Modules add their schema files here. */
export * from './schema.ts';
