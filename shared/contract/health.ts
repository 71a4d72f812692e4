/** `GET /health` (no key needed) answers 200 with Health once every part is ready. */
import * as z from 'zod';

export const Health = z.object({ status: z.literal('ok') });
export type Health = z.infer<typeof Health>;
