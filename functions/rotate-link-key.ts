import { makeRotateLinkKeyHandler, rotationLog, rotationLogger } from '../shared/adapters/link-key-rotation-handler.ts';
import { wireRotateLinkKey } from '../shared/composition/link-key-rotation.ts';

export const handler = makeRotateLinkKeyHandler(wireRotateLinkKey(rotationLog).rotation, rotationLogger);
