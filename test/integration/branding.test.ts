import { describe, expect, it } from 'vitest';
import { eventually, outbox, request, uniqueEmail } from '#test/integration/client';

/** A branded campaign, end to end: the e-mail, the pages, and the click-to-answer rate. */
interface OutboxEmail {
  from: string;
  to: string[];
  html: string;
  text: string;
}
interface Counts {
  clicked: number;
  responded: number;
  clickToAnswerRate: number | null;
}

const branding = {
  brandColor: '#0F766E',
  logoUrl: 'https://acme.example/logo.png',
  senderName: 'Acme Support',
  postalAddress: 'Acme Ltd\n10 Market Street\nSpringfield',
  privacyUrl: 'https://acme.example/privacy',
};

describe('a branded campaign', () => {
  it('sends from the sender name, carries the brand on the mail and pages, and counts clicks that end in an answer', async () => {
    // GIVEN a campaign with branding, and one recipient
    const created = await request<{ id: string } & typeof branding>('POST', '/v1/campaigns', {
      body: { name: 'Branded', brand: 'Acme', channel: 'email', ...branding },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...branding, brandColor: '#0f766e' });
    const campaignId = created.body.id;
    const to = uniqueEmail('branded');
    await request('POST', `/v1/campaigns/${campaignId}/recipients`, { body: { recipients: [{ email: to }] } });

    // THEN the e-mail comes from "Acme Support", with the logo, the address and the privacy policy
    const mail = await eventually(
      async () => (await outbox<OutboxEmail>({ box: 'email', to }))[0],
      { what: 'the branded invitation' },
    );
    expect(mail.from).toMatch(/^"Acme Support" <.+@.+>$/);
    expect(mail.html).toContain('<img src="https://acme.example/logo.png" alt="Acme"');
    expect(mail.html).toContain('Acme Ltd<br>10 Market Street<br>Springfield');
    expect(mail.text).toContain('You get this e-mail because you are a customer of Acme.');
    const rate = async () => (await request<{ counts: Counts }>('GET', `/v1/campaigns/${campaignId}`)).body.counts;
    expect(await rate()).toMatchObject({ clicked: 0, clickToAnswerRate: null });

    // WHEN the customer taps 9, sees the page, and presses Send
    const link = /href="([^"]+\?score=9)"/.exec(mail.html)?.[1] ?? '';
    const page = await request('GET', link, { auth: false });
    expect(page.text).toContain('You picked 9.');
    expect(page.text).toContain('--accent:#0f766e');
    const token = /\/s\/([^?]+)\?/.exec(link)?.[1] ?? '';
    const thanks = await request('POST', `/s/${token}`, { auth: false, raw: 'score=9', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(thanks.text).toContain('href="https://acme.example/privacy"');

    // THEN one click ended in one answer, in the campaign and in the list
    expect(await eventually(async () => ((await rate()).responded === 1 ? rate() : undefined), { what: 'the answer counted' })).toMatchObject({
      clicked: 1,
      responded: 1,
      clickToAnswerRate: 1,
    });
    const list = await request<{ items: { id: string; counts: Counts }[] }>('GET', '/v1/campaigns?limit=100');
    expect(list.body.items.find((c) => c.id === campaignId)?.counts.clickToAnswerRate).toBe(1);
  });
});
