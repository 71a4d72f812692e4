import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BrandColor, brandView, contrast, darkenUntil, fromAddress, HttpsUrl, PostalAddress, textOn } from '#shared/core/branding';
import { CampaignInput } from '#shared/contract/campaigns';

const hexColor = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map((c) => `#${c.map((n) => n.toString(16).padStart(2, '0')).join('')}`);

describe('a brand colour', () => {
  it('is read as #rgb or #rrggbb and stored as lower-case #rrggbb', () => {
    expect(BrandColor.parse('#0A66C2')).toBe('#0a66c2');
    expect(BrandColor.parse(' #f0a ')).toBe('#ff00aa');
  });

  it.each(['red', '#12345', '#1234567', '0a66c2', 'url(x)', '#0a66c2;background:url(x)'])('refuses %j', (value) => {
    expect(BrandColor.safeParse(value).success).toBe(false);
  });

  it('always gets a text colour that reads on it at 4.5:1 or better, so no colour is refused', () => {
    fc.assert(fc.property(hexColor, (color) => contrast(textOn(color), color) >= 4.5));
  });

  it('is darkened until it reads on white at 4.5:1 where it is text on the page', () => {
    fc.assert(fc.property(hexColor, (color) => contrast(darkenUntil(color, 4.5), '#ffffff') >= 4.5));
    expect(darkenUntil('#0f766e', 4.5)).toBe('#0f766e'); // already dark enough: unchanged
  });

  it('falls back to the default accent when a stored value is not a colour', () => {
    expect(brandView({ brand: 'Acme', brandColor: 'red;x:y' }).accent).toBe('#1d4ed8');
  });
});

describe('a logo or privacy address', () => {
  it('takes https only', () => {
    expect(HttpsUrl.parse('https://cdn.acme.example/logo.png')).toBe('https://cdn.acme.example/logo.png');
    for (const bad of ['http://acme.example/logo.png', 'javascript:alert(1)', 'data:image/png;base64,AAAA', '//acme.example/x', 'https://acme.example/a\nb']) {
      expect(HttpsUrl.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('a postal address', () => {
  it('keeps up to three lines, trimmed, with blank lines dropped', () => {
    expect(PostalAddress.parse(' Acme Ltd\r\n\r\n10 Market St \nSpringfield ')).toBe('Acme Ltd\n10 Market St\nSpringfield');
  });

  it('refuses a fourth line, a control character or an empty address', () => {
    expect(PostalAddress.safeParse('a\nb\nc\nd').success).toBe(false);
    expect(PostalAddress.safeParse('Acme\u0007Ltd').success).toBe(false);
    expect(PostalAddress.safeParse(' \n ').success).toBe(false);
  });
});

describe('the campaign input', () => {
  it('names the branding field that is wrong', () => {
    const result = CampaignInput.safeParse({ name: 'Q4', brand: 'Acme', channel: 'email', logoUrl: 'http://acme.example/logo.png' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['logoUrl']);
  });

  it('refuses a sender name with a line break, since it reaches the From header', () => {
    const result = CampaignInput.safeParse({ name: 'Q4', brand: 'Acme', channel: 'email', senderName: 'Acme\r\nBcc: x@example.com' });
    expect(result.error?.issues[0]?.path).toEqual(['senderName']);
  });
});

describe('the From header', () => {
  it('quotes the sender name', () => {
    expect(fromAddress('Acme "Support"', 'surveys@acme.example')).toBe('"Acme \\"Support\\"" <surveys@acme.example>');
  });

  it('encodes a name that is not plain ASCII as RFC 2047 asks', () => {
    expect(fromAddress('Акме', 'surveys@acme.example')).toBe(`=?UTF-8?B?${Buffer.from('Акме').toString('base64')}?= <surveys@acme.example>`);
  });

  it('keeps one line whatever a stored name holds', () => {
    expect(fromAddress('Acme\r\nBcc: x@example.com', 's@acme.example')).toBe('"Acme Bcc: x@example.com" <s@acme.example>');
  });
});
