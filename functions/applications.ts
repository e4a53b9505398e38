import { wireApplications } from '../shared/composition/intake.ts';
import { makeApplicationsHandler } from '../shared/intake/handlers.ts';

export const handler = makeApplicationsHandler(wireApplications());
