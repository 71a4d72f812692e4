import type { CampaignBranding } from '#shared/core/branding';
import { renderInvitationEmail } from '#shared/render/email';
import { closedPage, notFoundPage, surveyPage, thankYouPage, unsubscribedPage, unsubscribePage } from '#shared/render/pages';
import type { Locale } from '#shared/core/vocabulary';

/** Everything a customer can see, rendered as the handlers render it, for one locale. */

export const LOGO_URL = 'https://brand.example/acme-logo.svg';

/** A made-up logo served in place of LOGO_URL (the browser has no network): 160 × 40. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40">
<rect x="0" y="4" width="32" height="32" rx="8" fill="#0f766e"/><path d="M9 29 16 11l7 18h-4l-1.5-4h-3L13 29z" fill="#fff"/>
<text x="42" y="28" font-family="Arial,sans-serif" font-size="22" font-weight="700" fill="#111827">Acme</text></svg>`;

export const branding: CampaignBranding = {
  brand: 'Acme',
  brandColor: '#0f766e',
  logoUrl: LOGO_URL,
  senderName: 'Acme Support',
  postalAddress: 'Acme Ltd, 10 Market Street\nSpringfield 12345\nUnited States',
  privacyUrl: 'https://brand.example/privacy',
};

export interface CustomerView {
  readonly name: string;
  readonly html: string;
}

const names: Record<Locale, string> = { en: 'Alexandra', ru: 'Александра' };

export const customerViews = (locale: Locale, brand: CampaignBranding = branding): CustomerView[] => [
  {
    name: 'email',
    html: renderInvitationEmail({
      ...brand,
      locale,
      name: names[locale],
      surveyUrl: 'https://surveys.acme.example/s/tok',
      unsubscribeUrl: 'https://surveys.acme.example/u/tok',
    }).html,
  },
  { name: 'survey', html: surveyPage({ ...brand, locale, action: '/s/tok', answered: false }) },
  { name: 'survey-from-link', html: surveyPage({ ...brand, locale, action: '/s/tok', answered: false, selected: 8, fromLink: true }) },
  {
    name: 'already-answered',
    html: surveyPage({ ...brand, locale, action: '/s/tok', answered: true, selected: 9, comment: locale === 'ru' ? 'Быстрая доставка.' : 'Fast delivery.' }),
  },
  { name: 'survey-error', html: surveyPage({ ...brand, locale, action: '/s/tok', answered: false, error: true }) },
  { name: 'thank-you', html: thankYouPage(locale, brand) },
  { name: 'unsubscribe', html: unsubscribePage(locale, brand, '/u/tok') },
  { name: 'unsubscribed', html: unsubscribedPage(locale, brand) },
  { name: 'not-found', html: notFoundPage(locale) },
  { name: 'closed', html: closedPage(locale, brand) },
];
