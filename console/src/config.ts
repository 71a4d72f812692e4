/** Where the console signs in, read from `config.json` beside it: one build runs locally and on AWS. */
import { z } from 'zod';

export const ConsoleConfig = z.object({ issuer: z.url(), clientId: z.string().min(1) });
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

export const loadConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return ConsoleConfig.parse(await response.json());
};
