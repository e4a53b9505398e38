/**
 * The columns of the fields a province adds to its counties' form (ProvinceOverlay.formAdditions;
 * Shanxi's re-review: contributions to the local economy, employment and innovation). Only the
 * province's own tables and its cities' carry them: the national table lists every province alike.
 */
import type { Campaign } from '../../rules/campaign.ts';
import { additionsFor, type FormAddition } from '../../rules/form-additions.ts';
import type { Track } from '../../schemas/common.ts';
import { field, finite, text } from './cells.ts';
import { type CellValue, column, type SummaryColumn } from './table.ts';

/** The additions of the province `provincialCode` for the track; none for the national table. */
export function provincialAdditions(campaign: Campaign, track: Track, provincialCode?: string): FormAddition[] {
  if (provincialCode === undefined) return [];
  const overlay = campaign.overlays.find((candidate) => candidate.provinceCode === provincialCode);
  return additionsFor(overlay?.formAdditions, track);
}

const keyOf = (addition: FormAddition) => `provincial.${addition.id}`;

export function provincialColumns(additions: readonly FormAddition[]): SummaryColumn[] {
  return additions.map((addition) => {
    const { label, unit } = addition;
    return addition.kind === 'narrative'
      ? column(keyOf(addition), label.zh, label.en, 40, 'text', true)
      : column(
          keyOf(addition),
          unit ? `${label.zh}（${unit.zh}）` : label.zh,
          unit ? `${label.en} (${unit.en})` : label.en,
          14,
          'decimal',
        );
  });
}

export function provincialValues(
  additions: readonly FormAddition[],
  form: Record<string, unknown>,
): Record<string, CellValue> {
  return Object.fromEntries(
    additions.map((addition) => {
      const value = field(form, 'provincial', addition.id);
      return [keyOf(addition), addition.kind === 'narrative' ? text(value) : finite(value)];
    }),
  );
}
