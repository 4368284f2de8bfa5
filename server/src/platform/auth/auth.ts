import type { Role } from '../db/schema.ts';

/** Who is calling: a logged-in user (cookie) or an integrator's API key. Always bound to one workspace. */
export interface Principal {
  kind: 'user' | 'api_key';
  workspaceId: string;
  role: Role;
  /** The user's id, or the API key's id. */
  id: string;
  /** For events: `user id` or `apikey:<id>`. */
  actorId: string;
}

const rank: Record<Role, number> = { agent: 1, supervisor: 2, admin: 3 };

/** Roles are ordered: a supervisor may do what an agent may, an admin what a supervisor may. */
export function hasRole(principal: Pick<Principal, 'role'>, required: Role): boolean {
  return rank[principal.role] >= rank[required];
}

/** What a route requires: nobody (`public`) or at least the given role. Every API route declares one. */
export type Access = 'public' | Role;
