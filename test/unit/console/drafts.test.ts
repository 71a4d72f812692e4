import { describe, expect, it } from 'vitest';
import { forgetDraft, readDraft, writeDraft, type DraftStore } from '../../../console/src/drafts.ts';

const memoryStore = (): DraftStore & { size(): number } => {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
    size: () => items.size,
  };
};

let keys = 0;
const newKey = () => `key-${++keys}`;

describe('drafts kept on the device', () => {
  it('keeps a reply per case until it is sent, with one Idempotency-Key for the whole draft', () => {
    // GIVEN a manager typing a reply in two goes
    const store = memoryStore();
    const first = writeDraft(store, 'case-1', 'reply', 'Hello Ann,', newKey);
    const second = writeDraft(store, 'case-1', 'reply', 'Hello Ann, sorry', newKey);
    // THEN the text is the latest and the key never changes: a retry sends the same key
    expect(readDraft(store, 'case-1', 'reply')).toEqual({ text: 'Hello Ann, sorry', idempotencyKey: first.idempotencyKey });
    expect(second.idempotencyKey).toBe(first.idempotencyKey);
  });

  it('keeps replies and notes of different cases apart', () => {
    const store = memoryStore();
    writeDraft(store, 'case-1', 'reply', 'one', newKey);
    writeDraft(store, 'case-2', 'reply', 'two', newKey);
    writeDraft(store, 'case-1', 'note', 'internal', newKey);
    expect(readDraft(store, 'case-1', 'reply')?.text).toBe('one');
    expect(readDraft(store, 'case-2', 'reply')?.text).toBe('two');
    expect(readDraft(store, 'case-1', 'note')?.text).toBe('internal');
  });

  it('starts a new key once the draft is sent (forgotten)', () => {
    const store = memoryStore();
    const sent = writeDraft(store, 'case-1', 'reply', 'first reply', newKey);
    forgetDraft(store, 'case-1', 'reply');
    expect(readDraft(store, 'case-1', 'reply')).toBeUndefined();
    expect(writeDraft(store, 'case-1', 'reply', 'second reply', newKey).idempotencyKey).not.toBe(sent.idempotencyKey);
  });

  it('forgets a draft emptied by hand', () => {
    const store = memoryStore();
    writeDraft(store, 'case-1', 'note', 'x', newKey);
    writeDraft(store, 'case-1', 'note', '', newKey);
    expect(store.size()).toBe(0);
  });

  it('reads a damaged draft as none, and survives a storage that refuses writes', () => {
    const store = memoryStore();
    store.setItem('npsloop.draft.reply.case-1', '{not json');
    expect(readDraft(store, 'case-1', 'reply')).toBeUndefined();
    const full: DraftStore = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => undefined };
    expect(writeDraft(full, 'case-1', 'reply', 'still here', newKey).text).toBe('still here');
  });
});
