/**
 * A reply or note being written is kept on this device, per case, until it is sent: a session that
 * ends mid-sentence (sign in again), a reload or a closed tab loses nothing. A reply's draft carries
 * the Idempotency-Key it will be sent with, made once: a double click or a retry after a lost answer
 * sends the same key, and the API sends and records the reply once.
 */
export type DraftKind = 'reply' | 'note';

export interface Draft {
  readonly text: string;
  readonly idempotencyKey: string;
}

const keyOf = (caseId: string, kind: DraftKind) => `npsloop.draft.${kind}.${caseId}`;

export interface DraftStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const readDraft = (store: DraftStore, caseId: string, kind: DraftKind): Draft | undefined => {
  try {
    const raw = store.getItem(keyOf(caseId, kind));
    if (!raw) return undefined;
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'text' in value && 'idempotencyKey' in value) {
      const { text, idempotencyKey } = value;
      if (typeof text === 'string' && typeof idempotencyKey === 'string') return { text, idempotencyKey };
    }
  } catch {
    // A draft that cannot be read is no draft.
  }
  return undefined;
};

/** Keeps the text; the key stays the one the draft was started with. Empty text forgets the draft. */
export const writeDraft = (store: DraftStore, caseId: string, kind: DraftKind, text: string, newKey: () => string): Draft => {
  const idempotencyKey = readDraft(store, caseId, kind)?.idempotencyKey ?? newKey();
  const draft = { text, idempotencyKey };
  try {
    if (text === '') store.removeItem(keyOf(caseId, kind));
    else store.setItem(keyOf(caseId, kind), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft lives in the page only.
  }
  return draft;
};

export const forgetDraft = (store: DraftStore, caseId: string, kind: DraftKind): void => {
  try {
    store.removeItem(keyOf(caseId, kind));
  } catch {
    // Nothing to forget.
  }
};
