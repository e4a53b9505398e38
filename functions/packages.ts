import { wirePackages } from '../shared/composition/package.ts';
import { makePackagesHandler } from '../shared/package/handler.ts';

export const handler = makePackagesHandler(wirePackages());
