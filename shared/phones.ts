import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { getCountry, getCountryForTimezone } from 'countries-and-timezones';
import { canonicalZone, utcOffsetMinutes } from '#shared/quiet-hours';

export type { CountryCode };

export interface Phone {
  /** The number in E.164 (`+79123456789`): how it is stored, keyed and texted. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 country of the number; undefined for non-geographic numbers (+800, +882 …). */
  readonly country: CountryCode | undefined;
  /** Whether the numbering plan says it can be a mobile (so it can receive SMS); false for landlines. */
  readonly mobile: boolean;
}

/**
 * A phone is accepted only when its digits are valid for its country (the full metadata, not
 * just its length), and is kept in E.164 form. Without a leading + the number is read as a
 * national number of `defaultCountry`. An extension is dropped: E.164 has none.
 */
export const normalizePhone = (raw: string, defaultCountry?: string): Phone | undefined => {
  const country = defaultCountry?.toUpperCase();
  const parsed = parsePhoneNumberFromString(raw, country && isSupportedCountry(country) ? country : undefined);
  if (!parsed?.isValid()) return undefined;
  const type = parsed.getType();
  return { e164: parsed.number, country: parsed.country, mobile: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' };
};

const WEEK_MS = 7 * 86_400_000;
const YEAR_WEEKS = 53;

/** Whether the zones keep the same clock, week by week, over the coming year. */
const sameClock = (zones: readonly string[], from: number): boolean => {
  for (let week = 0; week <= YEAR_WEEKS; week++) {
    const at = new Date(from + week * WEEK_MS);
    const offsets = new Set(zones.map((zone) => utcOffsetMinutes(zone, at)));
    if (offsets.size > 1) return false;
  }
  return true;
};

const countryZones = new Map<string, string | undefined>();

/**
 * The time zone of everyone in a country, when there is one: the country's only zone, or, when
 * all its zones keep the same clock (Germany's Berlin and Büsingen, Kazakhstan's since 2024),
 * the zone named for it. Undefined for countries whose clocks differ (US, RU, BR, AU, CA …).
 */
export const countryZone = (country: string): string | undefined => {
  const code = country.toUpperCase();
  if (countryZones.has(code)) return countryZones.get(code);
  const zones = (/^[A-Z]{2}$/.test(code) ? getCountry(code)?.timezones : undefined) ?? [];
  const zone =
    zones.length === 1 || (zones.length > 1 && sameClock(zones, Date.now()))
      ? (zones.find((z) => getCountryForTimezone(z)?.id === code) ?? zones[0])
      : undefined;
  countryZones.set(code, zone);
  return zone;
};

export interface ZoneHints {
  /** The recipient's own time zone, as given (untrusted). */
  readonly timezone?: string | undefined;
  /** The country of the recipient's phone (from normalizePhone). */
  readonly country?: string | undefined;
  /** The campaign's default time zone; assumed valid (checked when the campaign was created). */
  readonly campaignDefault: string;
}

/**
 * A recipient's time zone: their own when it is a valid IANA zone, else the zone of their
 * phone's country when that country keeps one clock, else the campaign's default.
 */
export const zoneFor = ({ timezone, country, campaignDefault }: ZoneHints): string =>
  (timezone === undefined ? undefined : canonicalZone(timezone)) ??
  (country === undefined ? undefined : countryZone(country)) ??
  campaignDefault;
