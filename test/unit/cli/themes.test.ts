import { describe, expect, it } from 'vitest';
import { themesText } from '../../../cli/commands/themes.ts';
import { score } from '#shared/core/nps';
import { pointsCost } from '#shared/core/theme-impact';

const all = { promoters: 40, passives: 30, detractors: 30 };
const delivery = { promoters: 1, passives: 1, detractors: 18 };
const report = {
  campaignId: 'c1',
  overall: score(all),
  themes: [
    { id: 'delivery', name: { en: 'Delivery', ru: 'Доставка' }, mentions: score(delivery), pointsCost: pointsCost(all, delivery) },
    { id: 'billing', name: { en: 'Billing', ru: 'Оплата' }, mentions: score({ promoters: 0, passives: 0, detractors: 0 }), pointsCost: null },
  ],
};

describe('npsloop themes', () => {
  it('prints each theme with its mentions, NPS, points it costs, interval and significance', () => {
    const text = themesText(report);
    expect(text).toContain('NPS 10.0 from 100 responses');
    expect(text).toMatch(/Delivery\s+20\s+1\s+1\s+18\s+−85\.0\s+\+23\.8\s+\S+ to \S+\s+yes/);
    expect(text).toMatch(/Billing\s+0\s+0\s+0\s+0\s+–\s+–\s+–\s+–/);
    expect(text).toContain('Points it costs: how much higher the NPS would be');
  });

  it('says so when there are no responses', () => {
    expect(themesText({ ...report, overall: score({ promoters: 0, passives: 0, detractors: 0 }), segment: { attribute: 'plan', value: 'pro' } })).toBe(
      'No responses (plan pro) yet.\n',
    );
  });
});
