/** asl-validator 4 ships no type declarations; this is the part the local runtime uses. */
declare module 'asl-validator' {
  export interface AslValidatorOptions {
    checkArn?: boolean;
    checkPaths?: boolean;
  }
  export interface AslValidatorResult {
    isValid: boolean;
    errors: { 'Error code': string; Message: string }[];
    errorsText(separator?: string): string;
  }
  export default function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidatorResult;
}
