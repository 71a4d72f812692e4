/**
 * Who is signed in (`GET /v1/me`) and the people a case can be assigned to (`GET /v1/users`):
 * everyone who has signed in to the console, with their roles as the identity provider gave them.
 */
import * as z from 'zod';
import { Role } from '#shared/contract/fields';

export const Me = z.object({
  /** Absent for the API key. */
  email: z.string().optional(),
  roles: z.array(Role),
  via: z.enum(['token', 'apiKey']),
});
export type Me = z.infer<typeof Me>;

export const User = z.object({ email: z.string(), roles: z.array(Role), lastSeenAt: z.string() });
export const UserList = z.object({ items: z.array(User) });
export type UserList = z.infer<typeof UserList>;
