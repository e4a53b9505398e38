import { wireEvidence } from '../shared/composition/intake.ts';
import { makeEvidenceHandler } from '../shared/intake/handlers.ts';

export const handler = makeEvidenceHandler(wireEvidence());
