import type { Clock } from '../ports/core.ts';

/**
 * The time, for every wiring. A module of its own so the validator's wiring can take it without
 * core.ts, whose campaign catalog brings the campaign rules and the GB/T 2260 tree into a bundle.
 */
export const systemClock: Clock = () => new Date();
