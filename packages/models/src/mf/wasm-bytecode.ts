/**
 * A minimal WebAssembly binary writer (core spec 2.0 + fixed-width SIMD) for the hand-emitted kernels of the
 * BPR-SGD and implicit-ALS solvers: LEB128, a per-function bytecode builder and the section/vector framing.
 */

function unsignedLeb(value: number, out: number[]): void {
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
}

function signedLeb(value: number, out: number[]): void {
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** A tiny bytecode writer for one function body. */
export class Body {
  readonly code: number[] = [];
  get(local: number): this {
    this.code.push(0x20);
    unsignedLeb(local, this.code);
    return this;
  }
  set(local: number): this {
    this.code.push(0x21);
    unsignedLeb(local, this.code);
    return this;
  }
  tee(local: number): this {
    this.code.push(0x22);
    unsignedLeb(local, this.code);
    return this;
  }
  i32(value: number): this {
    this.code.push(0x41);
    signedLeb(value, this.code);
    return this;
  }
  f32(value: number): this {
    this.code.push(0x43);
    const bytes = new Uint8Array(Float32Array.of(value).buffer);
    this.code.push(...bytes);
    return this;
  }
  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  simd(opcode: number, ...immediates: number[]): this {
    this.code.push(0xfd);
    unsignedLeb(opcode, this.code);
    this.code.push(...immediates);
    return this;
  }
  call(index: number): this {
    this.code.push(0x10);
    unsignedLeb(index, this.code);
    return this;
  }
}

export function section(id: number, content: number[], out: number[]): void {
  out.push(id);
  unsignedLeb(content.length, out);
  out.push(...content);
}

export function vector(items: number[][]): number[] {
  const out: number[] = [];
  unsignedLeb(items.length, out);
  for (const item of items) out.push(...item);
  return out;
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  const out: number[] = [];
  unsignedLeb(bytes.length, out);
  return [...out, ...bytes];
}

export function functionType(params: number[], results: number[]): number[] {
  return [0x60, ...vector(params.map((p) => [p])), ...vector(results.map((r) => [r]))];
}

/** locals as (count, type) runs. */
export function body(f: Body, locals: readonly (readonly [number, number])[]): number[] {
  const content = [...vector(locals.map(([count, type]) => [count, type])), ...f.code, 0x0b];
  const out: number[] = [];
  unsignedLeb(content.length, out);
  return [...out, ...content];
}

/**
 * The slice of the WebAssembly JS API the kernels use, typed locally: the package compiles against ES2022 without
 * DOM/WebAssembly lib typings, and the kernels must also load where WebAssembly is absent (then they are off).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The global WebAssembly object, or undefined where there is none. */
export function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}
