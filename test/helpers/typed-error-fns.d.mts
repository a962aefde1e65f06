/** Types of typed-error-fns.mjs (a plain module so that workers can import it by path). */
export declare const failWithConfigError: (x: number) => never;
export declare const failWithDiskFull: (x: number) => never;
