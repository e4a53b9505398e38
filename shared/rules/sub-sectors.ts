/**
 * Sub-sectors (细分领域) from a list. Shanxi caps what a city forwards at one cluster per
 * sub-sector; compared as free text, 煤机装备, 煤矿机械装备 and 煤机裝備 would each take a slot. So a
 * campaign (or a province's overlay, which replaces it for that province) may configure the list
 * its counties pick from: a filed sub-sector must then be one of its entries, named by id or by
 * its Chinese name, and the quota key is the entry's id. Without a list the sub-sector stays free
 * text and its key is the text, normalised.
 */
import * as z from 'zod';
import { ValidationError } from '../platform/errors.ts';
import { BilingualSchema } from '../schemas/common.ts';

export const SubSectorSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'an id: 2 to 64 characters of a-z, 0-9 and "-", not starting with "-"')
    .describe('stable id: the quota key of the sub-sector'),
  name: BilingualSchema.describe('the name a county picks and the tables show'),
});
export type SubSector = z.infer<typeof SubSectorSchema>;

/** Whitespace and width variants compare equal ("新 材料" is "新材料"). */
export const normaliseSubSector = (text: string): string =>
  text.normalize('NFKC').replace(/\s+/g, '').replace(/#/g, '');

export const SubSectorListSchema = z
  .array(SubSectorSchema)
  .min(1, 'a sub-sector list needs at least one entry')
  .max(500)
  .superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((entry, index) => {
      for (const [key, field] of [
        [`id:${entry.id}`, 'id'],
        [`zh:${normaliseSubSector(entry.name.zh)}`, 'name'],
      ] as const) {
        const first = seen.get(key);
        if (first === undefined) seen.set(key, index);
        else ctx.addIssue({ code: 'custom', path: [index, field], message: `repeats sub-sector ${first}` });
      }
    });
  });

/** The list entry a filed sub-sector names (its id or its Chinese name), if any. */
export function findSubSector(list: readonly SubSector[], value: string): SubSector | undefined {
  const wanted = normaliseSubSector(value);
  return list.find((entry) => entry.id === value || normaliseSubSector(entry.name.zh) === wanted);
}

/**
 * What is stored for a filed sub-sector: the list entry's Chinese name where a list exists (so
 * every table shows one spelling), the text as given otherwise.
 * @throws ValidationError naming `field` when a list exists and the value is not on it
 */
export function canonicalSubSector(list: readonly SubSector[] | undefined, value: string, field = 'subSector'): string {
  if (!list) return value;
  const entry = findSubSector(list, value);
  if (entry) return entry.name.zh;
  throw new ValidationError('The sub-sector must be one of the configured list', [
    {
      field,
      code: 'NOT_IN_LIST',
      message: `请从细分领域列表中选择 / pick a sub-sector from the list: ${list.map((e) => `${e.id} (${e.name.zh})`).join(', ')}`,
    },
  ]);
}

/** The quota key part of a sub-sector: the list entry's id, or the normalised text without a list. */
export function subSectorKey(list: readonly SubSector[] | undefined, value: string): string {
  const entry = list && findSubSector(list, value);
  return entry ? entry.id : normaliseSubSector(value);
}
