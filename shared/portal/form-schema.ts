import * as z from 'zod';

/**
 * A posted portal form (the new draft's, the 申报表's): each field's value by its name
 * (`clusterName`, `form.contact.phone`, …), as the page's inputs name them.
 */
export const PortalFormSchema = z
  .record(z.string().max(200), z.string().max(50_000))
  .describe('the page’s form: each field’s value by its input’s name (clusterName, form.contact.phone, …)');
