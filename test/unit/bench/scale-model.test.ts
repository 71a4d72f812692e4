import { describe, expect, it } from 'vitest';
import { familyOf } from '../../../bench/meter.ts';
import { modelCampaign, type StageMeasure } from '../../../bench/scale-model.ts';

const stage = (over: Partial<StageMeasure> = {}): StageMeasure => ({
  writeUnits: 0,
  readUnits: 0,
  sqsRequests: 0,
  snsPublishes: 0,
  emails: 0,
  httpRequests: 0,
  functions: new Map(),
  hottest: new Map(),
  hottestItems: new Map(),
  ...over,
});

const figure = (figures: readonly { name: string; value: number }[], name: RegExp) => figures.find((f) => name.test(f.name))?.value;

describe('the 1,000,000-recipient model', () => {
  it('times sending by the SES quota: a million at 14/s is about 19.8 hours', () => {
    // GIVEN nothing measured but one e-mail per invitation
    const { figures } = modelCampaign({
      stages: { import: stage(), send: stage({ emails: 1 }), answer: stage() },
      importRate: 100,
      releaseRate: 1_000,
      answerShare: 0.2,
      releaseTimeoutSeconds: 60,
      senderMaxConcurrency: 5,
    });
    // THEN
    expect(figure(figures, /sending at SES default 14\/s/)).toBeCloseTo(1e6 / 14 / 3600, 3);
    expect(figure(figures, /cost, ses/)).toBeCloseTo(100, 6);
  });

  it('adds the units a partition key takes from sends and answers running side by side', () => {
    // GIVEN 2 units per send and 0.4 per invitation from answers on the campaign's key
    const hot = (units: number) => new Map([['TABLE CAMPAIGN#{id}', { key: 'TABLE CAMPAIGN#X', units }]]);
    const { figures } = modelCampaign({
      stages: { import: stage({ hottest: hot(2) }), send: stage({ hottest: hot(2) }), answer: stage({ hottest: hot(0.4) }) },
      importRate: 100,
      releaseRate: 1_000,
      answerShare: 0.2,
      releaseTimeoutSeconds: 60,
      senderMaxConcurrency: 5,
    });
    // THEN at 1,000 sends/s the key takes 2,400 units/s; the import could go 500 recipients/s
    expect(figure(figures, /busiest partition key at SES raised 1,000\/s/)).toBeCloseTo(2_400, 6);
    expect(figure(figures, /import rate the busiest partition allows/)).toBeCloseTo(500, 6);
  });

  it('names a key family by its shape, not its ids', () => {
    expect(familyOf('TABLE DUE#2026-12-01T20:30#7')).toBe('TABLE DUE#{minute}#{n}');
    expect(familyOf('TABLE CAMPAIGN#01M8SKQ34P5D9YD9CCE2SVNBA9|COUNTS#3')).toBe('TABLE CAMPAIGN#{id}|COUNTS#{n}');
    expect(familyOf('TABLE AGG#C#01M8SKQ34P5D9YD9CCE2SVNBA9')).toBe('TABLE AGG#C#{id}');
    expect(familyOf('GSI2 FOLLOWUPS#OPEN')).toBe('GSI2 FOLLOWUPS#OPEN');
  });
});
