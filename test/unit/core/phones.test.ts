import { describe, expect, it } from 'vitest';
import { getCountries, getExampleNumber, parsePhoneNumberFromString as parseWithFullMetadata } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { countryClocks, countryZone, normalizePhone, recipientZones } from '#shared/core/phones';

describe('normalizePhone', () => {
  it.each([
    // raw, default country, E.164, country
    ['+1 415 555 2671', undefined, '+14155552671', 'US'],
    ['(415) 555-2671', 'US', '+14155552671', 'US'],
    ['tel:+14155552671', undefined, '+14155552671', 'US'],
    ['+1 416 555 0199', undefined, '+14165550199', 'CA'],
    ['+1 876 210 1234', undefined, '+18762101234', 'JM'],
    ['+7 (912) 345-67-89', undefined, '+79123456789', 'RU'],
    ['8 912 345 67 89', 'RU', '+79123456789', 'RU'],
    ['89123456789', 'ru', '+79123456789', 'RU'],
    ['+7 701 234 5678', undefined, '+77012345678', 'KZ'],
    ['+49 1512 3456789', undefined, '+4915123456789', 'DE'],
    ['+61 4 1234 5678', undefined, '+61412345678', 'AU'],
  ] as const)('GIVEN %j (default %s) THEN %s in %s', (raw, defaultCountry, e164, country) => {
    expect(normalizePhone(raw, defaultCountry)).toEqual({ e164, country });
  });

  /**
   * The mobile metadata is what we bundle (57 KB smaller than the full one): for every country's
   * example mobile, a digit more or less, and each variation of one of its leading digits, it must accept exactly what the full
   * metadata calls a valid mobile, with the same E.164 form and country.
   */
  it('accepts exactly the numbers that the full metadata calls mobile', () => {
    const asFullMetadataSees = (raw: string) => {
      const parsed = parseWithFullMetadata(raw);
      const type = parsed?.isValid() ? parsed.getType() : undefined;
      return parsed && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') ? { e164: parsed.number, country: parsed.country } : undefined;
    };
    let compared = 0;
    const disagreements: string[] = [];
    for (const country of getCountries()) {
      const example = getExampleNumber(country, mobileExamples);
      if (!example) continue;
      const digits = example.nationalNumber;
      const variants = [digits, `${digits}1`, digits.slice(0, -1)];
      // The leading digits decide the type: vary each of the first four.
      for (let i = 0; i < Math.min(4, digits.length); i++) variants.push(`${digits.slice(0, i)}${(Number(digits[i]) + 1) % 10}${digits.slice(i + 1)}`);
      for (const national of variants) {
        const raw = `+${example.countryCallingCode}${national}`;
        if (JSON.stringify(normalizePhone(raw)) !== JSON.stringify(asFullMetadataSees(raw))) disagreements.push(raw);
        compared++;
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(1500);
  });

  it('reads an explicit +country code whatever the default country', () => {
    expect(normalizePhone('+7 912 345 67 89', 'US')?.e164).toBe('+79123456789');
  });

  it('drops an extension, which E.164 cannot carry', () => {
    expect(normalizePhone('+1 415 555 2671 ext. 12')?.e164).toBe('+14155552671');
  });

  it.each([
    ['letters', 'not a phone', 'US'],
    ['empty', '', 'US'],
    ['too short', '+7 912 345 67', undefined],
    ['too long', '+7 912 345 67 89 00', undefined],
    ['an area code that cannot exist', '+1 123 456 7890', undefined],
    ['a national number without a default country', '4155552671', undefined],
    ['a national number with an unknown default country', '4155552671', 'XX'],
    ['an unassigned country code', '+999 123 4567', undefined],
    ['a very long input', '1'.repeat(300), 'US'],
    // We only text: a landline is no phone of ours.
    ['a Moscow landline', '+7 495 123-45-67', undefined],
    ['a London landline', '+44 20 7946 0958', undefined],
  ])('refuses %s', (_, raw, defaultCountry) => {
    expect(normalizePhone(raw, defaultCountry)).toBeUndefined();
  });
});

describe('countryZone', () => {
  it.each([
    ['FR', 'Europe/Paris'],
    ['GB', 'Europe/London'],
    ['JM', 'America/Jamaica'],
    ['IT', 'Europe/Rome'],
    ['fr', 'Europe/Paris'],
  ])('a country with one zone: %s → %s', (country, zone) => {
    expect(countryZone(country)).toBe(zone);
  });

  it.each([
    ['DE', 'Europe/Berlin'], // Berlin and Büsingen (Zurich) keep the same clock
    ['KZ', 'Asia/Almaty'], // one clock for the whole country since 2024
    ['VN', 'Asia/Ho_Chi_Minh'], // shares its zone with Bangkok: the one named for Vietnam is chosen
  ])('a country whose zones keep one clock: %s → %s', (country, zone) => {
    expect(countryZone(country)).toBe(zone);
  });

  it.each(['US', 'RU', 'BR', 'AU', 'CA', 'MX', 'ES'])('a country with several clocks has no zone: %s', (country) => {
    expect(countryZone(country)).toBeUndefined();
  });

  it.each(['ZZ', 'USA', '', 'R'])('an unknown country has no zone: %j', (country) => {
    expect(countryZone(country)).toBeUndefined();
  });
});

describe('recipientZones, one zone when one is known', () => {
  const campaignDefault = 'Europe/Moscow';

  it('GIVEN a valid zone of the recipient THEN it wins over the country and the default', () => {
    expect(recipientZones({ timezone: 'Asia/Tokyo', country: 'FR', campaignDefault })).toEqual(['Asia/Tokyo']);
  });

  it('GIVEN a recipient zone in another spelling THEN it is canonicalized', () => {
    expect(recipientZones({ timezone: 'america/new_york', country: 'US', campaignDefault })).toEqual(['America/New_York']);
  });

  it.each(['Mars/Olympus_Mons', '+05:00', 'GMT+3 please', ''])(
    'GIVEN an invalid recipient zone %j THEN the zone of a one-clock country is used',
    (timezone) => {
      expect(recipientZones({ timezone, country: 'FR', campaignDefault })).toEqual(['Europe/Paris']);
    },
  );

  it('GIVEN no recipient zone and a one-clock country THEN that country’s zone', () => {
    expect(recipientZones({ country: 'GB', campaignDefault })).toEqual(['Europe/London']);
  });

  it.each(['US', 'RU', 'BR', 'AU', 'CA'])('GIVEN a country with several clocks (%s) THEN the campaign default', (country) => {
    expect(recipientZones({ country, campaignDefault })).toEqual([campaignDefault]);
  });

  it('GIVEN nothing about the recipient THEN the campaign default', () => {
    expect(recipientZones({ campaignDefault })).toEqual([campaignDefault]);
    expect(recipientZones({ timezone: undefined, country: undefined, campaignDefault })).toEqual([campaignDefault]);
  });

  it('GIVEN the country of a normalized phone THEN its zone', () => {
    const phone = normalizePhone('+33 6 12 34 56 78');
    expect(recipientZones({ country: phone?.country, campaignDefault })).toEqual(['Europe/Paris']);
  });
});

describe('countryClocks', () => {
  it('keeps one zone per distinct clock of a country', () => {
    const us = countryClocks('US');
    // Eastern, Central, Mountain, Arizona, Pacific, Alaska, Aleutian and Hawaii time
    expect(us).toHaveLength(8);
    expect(us).toContain('Pacific/Honolulu');
    expect(us).toContain('America/Phoenix'); // Mountain time without daylight saving
    // the Indiana and Kentucky zones keep the Eastern clock of Detroit and New York
    expect(us.filter((z) => z.startsWith('America/Indiana/') || z.startsWith('America/Kentucky/'))).toEqual([]);
  });

  it('is one zone for a one-clock country and none for an unknown one', () => {
    expect(countryClocks('FR')).toEqual(['Europe/Paris']);
    expect(countryClocks('ZZ')).toEqual([]);
  });
});

describe('recipientZones', () => {
  it('GIVEN a country with several clocks and no zone from the recipient or the campaign THEN every clock of the country', () => {
    expect(recipientZones({ country: 'RU' })).toEqual(countryClocks('RU'));
    expect(recipientZones({ country: 'RU' })).toContain('Europe/Kaliningrad');
  });

  it('GIVEN a zone from the recipient or the campaign THEN that one zone', () => {
    expect(recipientZones({ timezone: 'Asia/Tokyo', country: 'US' })).toEqual(['Asia/Tokyo']);
    expect(recipientZones({ country: 'US', campaignDefault: 'America/Chicago' })).toEqual(['America/Chicago']);
  });

  it('GIVEN nothing known THEN no zone, never UTC by default', () => {
    expect(recipientZones({})).toEqual([]);
  });
});
