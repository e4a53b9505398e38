/**
 * Campaigns as stored: a definition accepted under earlier rules brought up to today's before it
 * is checked, so what was accepted once still parses. Apart from the campaign's schema because it
 * changes only when a rule tightens, and holds what each tightening left behind.
 */
import * as z from 'zod';
import { legacyMiitDeadline } from './calendar.ts';
import { CampaignSchema } from './campaign.ts';

/** What a threshold set stored before sources were required says its source is. */
export const LEGACY_THRESHOLD_SOURCE = '未注明（设定于须注明依据之前） / not named (set before a source was required)';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * A stored definition brought up to today's rules, so that what was accepted once still parses:
 * a calendar without MIIT's deadline gets the provinces' deadline plus the default window
 * (legacyMiitDeadline: MIIT never reviews on the provinces' forwarding date), and thresholds
 * without a source say that none was named.
 */
function upgradeStoredDefinition(definition: unknown): unknown {
  if (!isObject(definition)) return definition;
  const upgraded: Record<string, unknown> = { ...definition };
  const calendar = definition.calendar;
  if (isObject(calendar) && calendar.miit === undefined && typeof calendar.province === 'string') {
    const province = calendar.province;
    if (!Number.isNaN(Date.parse(province))) upgraded.calendar = { ...calendar, miit: legacyMiitDeadline(province) };
  }
  if (isObject(definition.tracks)) {
    upgraded.tracks = Object.fromEntries(
      Object.entries(definition.tracks).map(([track, rules]) => {
        if (!isObject(rules) || !isObject(rules.thresholds) || rules.thresholds.source !== undefined) {
          return [track, rules];
        }
        return [track, { ...rules, thresholds: { ...rules.thresholds, source: LEGACY_THRESHOLD_SOURCE } }];
      }),
    );
  }
  return upgraded;
}

/** A campaign as stored: checked as a new definition is, once upgradeStoredDefinition has run. */
export const StoredCampaignSchema = z.preprocess(upgradeStoredDefinition, CampaignSchema);
