/** Erasure: `DELETE /v1/contacts` takes an ErasureInput and answers an ErasureResult. */
import * as z from 'zod';

export const ErasureInput = z
  .object({ email: z.string().max(320).optional(), phone: z.string().max(40).optional() })
  .strict()
  .refine((v) => v.email !== undefined || v.phone !== undefined, { message: 'give an email or a phone' });
export type ErasureInput = z.infer<typeof ErasureInput>;

/** How many items lost the contact's personal data; the contact stays opted out, by a hash of the address. */
export const ErasureResult = z.object({
  erased: z.object({ invitations: z.number().int(), responses: z.number().int(), followups: z.number().int() }),
  optedOut: z.literal(true),
});
export type ErasureResult = z.infer<typeof ErasureResult>;
