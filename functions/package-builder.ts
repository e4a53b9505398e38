import { wirePackageBuilder } from '../shared/composition/package.ts';
import { builderLog, makePackageBuilderHandler } from '../shared/package/builder-handler.ts';

export const handler = makePackageBuilderHandler(wirePackageBuilder(builderLog));
