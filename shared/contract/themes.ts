/**
 * Comment themes: `GET /v1/themes` answers the ThemeSetView, `PUT /v1/themes` (admins) takes a
 * ThemeSetInput, stores it as the next version and re-tags every stored comment in the
 * background; `GET /v1/themes/impact` takes a ThemeImpactQuery and answers a ThemeImpactReport:
 * per theme, its mentions by category, the NPS among them, and the points it costs the score.
 */
import * as z from 'zod';
import { MAX_THEMES, Theme } from '#shared/core/theme-set';
import { PointsCost } from '#shared/core/theme-impact';
import { AttributeName, IsoDay, oneLine } from '#shared/contract/fields';
import { Score } from '#shared/core/nps';

export { Keyword, Theme, ThemeId } from '#shared/core/theme-set';
export { PointsCost } from '#shared/core/theme-impact';

export const ThemeSetInput = z
  .object({ themes: z.array(Theme).min(1).max(MAX_THEMES) })
  .strict()
  .superRefine(({ themes }, ctx) => {
    const seen = new Set<string>();
    themes.forEach((theme, i) => {
      if (seen.has(theme.id)) ctx.addIssue({ code: 'custom', message: `theme "${theme.id}" is listed twice`, path: ['themes', i, 'id'] });
      seen.add(theme.id);
      if (theme.keywords.en.length + theme.keywords.ru.length === 0) {
        ctx.addIssue({ code: 'custom', message: `theme "${theme.id}" needs at least one keyword`, path: ['themes', i, 'keywords'] });
      }
    });
  });
export type ThemeSetInput = z.infer<typeof ThemeSetInput>;

/** Where the background re-tag after the last change stands. */
export const RetagProgress = z.object({
  version: z.number().int(),
  /** waiting: starts within two minutes (every writer must first see the new themes); running; done. */
  status: z.enum(['waiting', 'running', 'done']),
  /** Comments looked at, and how many of them got different themes. */
  checked: z.number().int(),
  retagged: z.number().int(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type RetagProgress = z.infer<typeof RetagProgress>;

export const ThemeSetView = z.object({
  /** 0 for the default themes, then one more at each PUT. */
  version: z.number().int(),
  updatedAt: z.string().optional(),
  themes: z.array(Theme),
  retag: RetagProgress.nullable(),
});
export type ThemeSetView = z.infer<typeof ThemeSetView>;

/** `attribute:value`, as in `plan:pro`: the answers of that segment value only. */
export const SegmentValue = z
  .string()
  .max(300)
  .transform((s, ctx) => {
    const at = s.indexOf(':');
    const attribute = AttributeName.safeParse(s.slice(0, Math.max(at, 0)));
    if (at <= 0 || !attribute.success || at === s.length - 1) {
      ctx.addIssue({ code: 'custom', message: 'write the segment as attribute:value, for example plan:pro' });
      return z.NEVER;
    }
    return { attribute: attribute.data, value: s.slice(at + 1) };
  });

export const ThemeImpactQuery = z
  .object({
    /** Absent: every campaign. */
    campaignId: z.string().min(1).max(64).optional(),
    from: IsoDay.optional(),
    to: IsoDay.optional(),
    segment: oneLine(300).pipe(SegmentValue).optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export type ThemeImpactQuery = z.infer<typeof ThemeImpactQuery>;

export const ThemeImpact = z.object({
  id: z.string(),
  name: z.object({ en: z.string(), ru: z.string() }),
  /** Answers whose comment mentions the theme, split by category, and the NPS among them. */
  mentions: Score,
  /**
   * NPS without these answers minus overall NPS: positive when the theme drags the score down.
   * Null when no answer, or every answer, mentions it.
   */
  pointsCost: z.nullable(PointsCost),
});
export type ThemeImpact = z.infer<typeof ThemeImpact>;

export const ThemeImpactReport = z.object({
  campaignId: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  segment: z.object({ attribute: z.string(), value: z.string() }).optional(),
  /** Every answer in the selection, with or without a comment. */
  overall: Score,
  /** Costliest first; themes nobody mentioned last. */
  themes: z.array(ThemeImpact),
});
export type ThemeImpactReport = z.infer<typeof ThemeImpactReport>;
