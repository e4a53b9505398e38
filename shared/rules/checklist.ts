/**
 * The evidence checklist a track asks for: what each item accepts, and that its ids are unique
 * (uploads name them). Apart from the campaign because an item's shape changes with the
 * evidence rules, which the validator and the portal read too.
 */
import * as z from 'zod';
import { BilingualSchema, FileTypeSchema } from '../schemas/common.ts';
import { CriterionSchema, TypicalCaseAspectSchema } from './criteria.ts';

/** The ids of campaigns, checklist items and milestones. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'a slug: 3 to 64 characters of a-z, 0-9 and "-", not starting with "-"');

/** Largest single evidence file a checklist may allow (a presigned POST can carry up to 5 GiB). */
const MAX_EVIDENCE_BYTES = 5 * 1024 ** 3;

export const ChecklistItemSchema = z.object({
  id: SlugSchema.describe('stable id of the item; evidence uploads name it'),
  criterion: CriterionSchema.optional().describe('the Interim Measures criterion this item evidences'),
  aspect: TypicalCaseAspectSchema.optional().describe('the typical-case aspect this item evidences'),
  title: BilingualSchema,
  description: BilingualSchema.optional(),
  required: z.boolean(),
  fileTypes: z
    .array(FileTypeSchema)
    .min(1, 'at least one file type')
    .refine((types) => new Set(types).size === types.length, 'file types must not repeat'),
  maxBytes: z.int().positive().max(MAX_EVIDENCE_BYTES).describe('largest accepted file, in bytes'),
  maxFiles: z.int().min(1).max(50).default(5).describe('how many files this item accepts'),
  uploadedBy: z
    .enum(['county', 'city'])
    .default('county')
    .describe(
      'who uploads it: the county with its application, or the city during its review (the on-site check statement)',
    ),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;
export type ChecklistItemInput = z.input<typeof ChecklistItemSchema>;

/** Duplicates in `items` by `key`: [index, first index with the same key]. */
export function duplicateIndexes<T>(items: readonly T[], key: (item: T) => string): [number, number][] {
  const seen = new Map<string, number>();
  const duplicates: [number, number][] = [];
  items.forEach((item, index) => {
    const first = seen.get(key(item));
    if (first === undefined) seen.set(key(item), index);
    else duplicates.push([index, first]);
  });
  return duplicates;
}

export const ChecklistSchema = z.array(ChecklistItemSchema).superRefine((items, ctx) => {
  for (const [index, first] of duplicateIndexes(items, (item) => item.id)) {
    ctx.addIssue({
      code: 'custom',
      path: [index, 'id'],
      message: `duplicate checklist id "${items[index]?.id}" (already used by item ${first})`,
    });
  }
});

/**
 * The checklist item that carries the city's on-site check statement (现场核查符合性说明): listed
 * where a level declares the onsite-statement step (Shanxi's overlay), whose approval needs a
 * VALID file for it.
 */
export const ONSITE_STATEMENT_ITEM_ID = 'onsite-check-statement';
