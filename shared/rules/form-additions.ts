/**
 * Fields a province adds to the application form (ProvinceOverlay.formAdditions): data, each with
 * its bilingual label, kind and whether the county must fill it. Their values live in the form
 * under `provincial.<id>`, so the national form's fields never collide with a province's, and a
 * county of another province is never asked for them (its submission refuses them as unknown).
 */
import * as z from 'zod';
import { BilingualSchema, TrackSchema, type Track } from '../schemas/common.ts';

export const FORM_ADDITION_KINDS = ['narrative', 'number'] as const;
/** The most characters a province's narrative field takes (the national form's narrative limit). */
export const ADDITION_NARRATIVE_MAX = 5000;

export const FormAdditionSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'a camelCase identifier')
    .describe('the field, named form.provincial.<id> in the API and its errors'),
  label: BilingualSchema,
  kind: z.enum(FORM_ADDITION_KINDS).describe('narrative: text of 1..5000 characters; number: a non-negative figure'),
  unit: BilingualSchema.optional().describe("a figure's unit"),
  help: BilingualSchema.optional(),
  required: z.boolean().default(false).describe('whether the county must fill it before submitting'),
  tracks: z
    .array(TrackSchema)
    .min(1)
    .optional()
    .describe('the tracks whose form carries it; every track of the campaign when left out'),
});
export type FormAddition = z.infer<typeof FormAdditionSchema>;
export type FormAdditionInput = z.input<typeof FormAdditionSchema>;

/** What a draft may hold under `provincial`: any of the province's values, well-formed, none required. */
export const ProvincialDraftSchema = z
  .record(z.string().max(40), z.union([z.string().max(ADDITION_NARRATIVE_MAX), z.number().nonnegative()]))
  .describe("the fields the county's province adds to the form (ProvinceOverlay.formAdditions), by id");

/** The additions a track's form carries. */
export const additionsFor = (additions: readonly FormAddition[] | undefined, track: Track): FormAddition[] =>
  (additions ?? []).filter((addition) => !addition.tracks || addition.tracks.includes(track));

function valueSchema(addition: FormAddition): z.ZodType {
  const value =
    addition.kind === 'narrative'
      ? z.string().trim().min(1).max(ADDITION_NARRATIVE_MAX)
      : z.number().nonnegative().max(1e12);
  return addition.required ? value : value.optional();
}

/** The complete `provincial` part of a form to be submitted: exactly the province's fields. */
export function provincialFormSchema(additions: readonly FormAddition[]): z.ZodType {
  return z.strictObject(Object.fromEntries(additions.map((addition) => [addition.id, valueSchema(addition)])));
}
