import { createHash } from 'node:crypto';
import { chunkLimits, type ChunkLimits } from './recipient-chunks.ts';

/**
 * The Idempotency-Key of one chunk of an import: the same campaign, file bytes (`digest`, their
 * SHA-256) and chunk number give the same key, so re-running an import after a crash replays
 * instead of re-adding. The campaign is in it so one file can go to two campaigns; the chunk
 * limits are, so a chunk number never names different rows under two versions of the CLI.
 */
export const importChunkKey = (campaignId: string, digest: string, chunkIndex: number, limits: ChunkLimits = chunkLimits): string => {
  const scope = createHash('sha256').update(`${limits.rows}/${limits.bytes}\n${campaignId}\n${digest}`).digest('hex');
  return `npsloop-import-${scope.slice(0, 40)}-${chunkIndex}`;
};
