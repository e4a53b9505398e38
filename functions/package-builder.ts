import { wirePackageBuilder } from '../shared/composition/package-builder.ts';
import { builderLog, makePackageBuilderHandler } from '../shared/package/builder-handler.ts';

export const handler = makePackageBuilderHandler(wirePackageBuilder(builderLog));
