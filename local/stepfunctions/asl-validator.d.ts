/** asl-validator 4 ships no type declarations; this is the part the local runtime uses. */
declare module 'asl-validator' {
  export interface AslValidatorOptions {
    checkArn?: boolean;
    checkPaths?: boolean;
  }
  export interface AslValidatorResult {
    isValid: boolean;
    errors: { 'Error code': string; Message: string }[];
    /** A closure over the result's errors: it may be called on its own. */
    errorsText(this: void, separator?: string): string;
  }
  export default function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidatorResult;
}
