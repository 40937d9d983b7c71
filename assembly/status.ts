// A status word that kernels set instead of trapping; the TypeScript caller reads it after a
// kernel call and turns it into a clear error.
export const ERR_ZERO_DIV: i32 = 1;
export const ERR_INDEX: i32 = 2;

let status: i32 = 0;
let statusValue: i64 = 0;

export function raise(code: i32): void { status = code; }
export function raise_value(code: i32, value: i64): void { if (status == 0) { status = code; statusValue = value; } }
export function take_status(): i32 { const s = status; status = 0; return s; }
export function status_value(): f64 { return <f64>statusValue; }
export function heap_base(): usize { return __heap_base; }
