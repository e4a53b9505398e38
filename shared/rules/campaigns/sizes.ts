/** Byte sizes for checklist limits. */
export const MiB = 1024 * 1024;
