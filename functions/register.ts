import { wireRegister } from '../shared/composition/register.ts';
import { makeRegisterHandler } from '../shared/register/handler.ts';

export const handler = makeRegisterHandler(wireRegister());
