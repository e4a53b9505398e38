import { wireValidator } from '../shared/composition/validation.ts';
import { makeValidatorHandler, validatorLog } from '../shared/validation/handler.ts';

export const handler = makeValidatorHandler(wireValidator(validatorLog));
