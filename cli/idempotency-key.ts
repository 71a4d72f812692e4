import { createHash } from 'node:crypto';
import { chunkKeyOf, chunkLimits, importScope, type ChunkLimits } from './recipient-chunks.ts';

/**
 * The Idempotency-Key of one chunk of an import: the same campaign, file bytes (`digest`, their
 * SHA-256) and chunk number give the same key, so re-running an import after a crash replays
 * instead of re-adding. The campaign is in it so one file can go to two campaigns; the chunk
 * limits are, so a chunk number never names different rows under two versions of the CLI.
 */
export const importChunkKey = (campaignId: string, digest: string, chunkIndex: number, limits: ChunkLimits = chunkLimits): string =>
  chunkKeyOf(createHash('sha256').update(importScope(campaignId, digest, limits)).digest('hex'), chunkIndex);

