import { BLOCK_VOID, OP, SIMD, SIMD_PREFIX } from './opcodes.js';

/**
 * A minimal WebAssembly binary writer (core spec 2.0 + fixed-width SIMD) shared by the hand-emitted kernels (NCF
 * gemm/Adam, BPR-SGD, implicit-ALS CG): LEB128, a per-function bytecode builder, the section/vector framing, the
 * module assembly and one guarded compile/instantiate path. The bytecode the kernels emit is their source: no
 * toolchain, no binary blob in the repository.
 */

export function unsignedLeb(value: number, out: number[]): void {
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
}

export function signedLeb(value: number, out: number[]): void {
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

/** A tiny bytecode writer for one function body (without its locals and final `end`; see {@link body}). */
export class Body {
  readonly code: number[] = [];
  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(local: number): this {
    return this.indexed(OP.localGet, local);
  }
  set(local: number): this {
    return this.indexed(OP.localSet, local);
  }
  tee(local: number): this {
    return this.indexed(OP.localTee, local);
  }
  call(index: number): this {
    return this.indexed(OP.call, index);
  }
  i32(value: number): this {
    this.code.push(OP.i32Const);
    signedLeb(value, this.code);
    return this;
  }
  f32(value: number): this {
    this.code.push(OP.f32Const);
    const bytes = new Uint8Array(Float32Array.of(value).buffer);
    this.code.push(...bytes);
    return this;
  }
  f64(value: number): this {
    this.code.push(OP.f64Const);
    const bytes = new Uint8Array(Float64Array.of(value).buffer);
    this.code.push(...bytes);
    return this;
  }
  /** `block` / `loop` with the empty block type. */
  block(): this {
    this.code.push(OP.block, BLOCK_VOID);
    return this;
  }
  loop(): this {
    this.code.push(OP.loop, BLOCK_VOID);
    return this;
  }
  /**
   * `for (; counter < bound; counter += stride) { emit() }` over unsigned i32 locals (the counter is not
   * initialised here): block, loop, exit test, the body, the increment, branch back.
   */
  forLoop(counter: number, bound: number, stride: number, emit: () => void): this {
    this.block().loop();
    this.get(counter).get(bound).op(OP.i32GeU, OP.brIf, 1);
    emit();
    this.get(counter).i32(stride).op(OP.i32Add).set(counter);
    return this.op(OP.br, 0, OP.end, OP.end);
  }
  /** A SIMD instruction: the 0xfd prefix, the LEB128 sub-opcode, then raw immediate bytes (memarg, lane). */
  simd(opcode: number, ...immediates: number[]): this {
    this.code.push(SIMD_PREFIX);
    unsignedLeb(opcode, this.code);
    this.code.push(...immediates);
    return this;
  }
  /** An instruction with one LEB128 index immediate (local, function). */
  private indexed(opcode: number, index: number): this {
    this.code.push(opcode);
    unsignedLeb(index, this.code);
    return this;
  }
  /** Pushes lane `a` + lane `b` of the v128 in `local` (`extract`: the SIMD extract_lane op, `add`: the scalar add). */
  addLanes(local: number, extract: number, add: number, a: number, b: number): this {
    return this.get(local).simd(extract, a).get(local).simd(extract, b).op(add);
  }
  /** v128.load with a constant byte offset (alignment hint 1 byte: the buffers are 16-byte aligned anyway). */
  load(offset: number): this {
    this.simd(SIMD.v128Load, 0);
    unsignedLeb(offset, this.code);
    return this;
  }
  /** v128.store with a constant byte offset (alignment hint 1 byte). */
  store(offset: number): this {
    this.simd(SIMD.v128Store, 0);
    unsignedLeb(offset, this.code);
    return this;
  }
  /** v128.const 0. */
  zeroVector(): this {
    this.simd(SIMD.v128Const);
    for (let i = 0; i < 16; i++) this.code.push(0);
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

export function functionType(params: readonly number[], results: readonly number[]): number[] {
  return [0x60, ...vector(params.map((p) => [p])), ...vector(results.map((r) => [r]))];
}

/** A code-section entry: `f` with its locals as (count, type) runs, closed by `end`. */
export function body(f: Body, locals: readonly (readonly [number, number])[]): number[] {
  const content = [...vector(locals.map(([count, type]) => [count, type])), ...f.code, OP.end];
  const out: number[] = [];
  unsignedLeb(content.length, out);
  return [...out, ...content];
}

/** What {@link assembleModule} lays out. */
export interface ModuleSpec {
  /** Function types ({@link functionType}). */
  readonly types: readonly number[][];
  /**
   * The imported `env.memory`: one page minimum; `shared` makes it a shared memory (limits flag 3, maximum 65536
   * pages), for worker threads.
   */
  readonly sharedMemory?: boolean;
  /** The type index of each function, in function-index order. */
  readonly functions: readonly number[];
  /** Exported functions: (name, function index). */
  readonly exports: readonly (readonly [string, number])[];
  /** One {@link body} per function, in the same order as `functions`. */
  readonly bodies: readonly number[][];
}

/** A module's bytes: magic and version, then the type, import, function, export and code sections. */
export function assembleModule(spec: ModuleSpec): Uint8Array {
  const bytes: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(1, vector([...spec.types]), bytes);
  const limits = spec.sharedMemory ? [0x03, 0x01, 0x80, 0x80, 0x04] : [0x00, 0x01];
  section(2, vector([[...name('env'), ...name('memory'), 0x02, ...limits]]), bytes);
  section(3, vector(spec.functions.map((type) => [type])), bytes);
  section(7, vector(spec.exports.map(([exportName, index]) => [...name(exportName), 0x00, index])), bytes);
  section(10, vector([...spec.bodies]), bytes);
  return Uint8Array.from(bytes);
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

/**
 * A memoised, guarded compile of the module `build` emits: the module, or null where WebAssembly is absent or
 * rejects the bytes (no SIMD support), in which case callers run their typed-array loops. Compiles on first call.
 */
export function lazyWasmModule(build: () => Uint8Array): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    const api = wasmApi();
    try {
      const bytes = build();
      compiled = api?.validate(bytes) ? new api.Module(bytes) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  };
}

/** An instance of `module` with `memory` as its `env.memory` import; returns its exports. */
export function instantiateWithMemory(api: WasmApi, module: WasmModule, memory: WasmMemory): Record<string, unknown> {
  return new api.Instance(module, { env: { memory } }).exports;
}

/** Grows `memory` to at least `bytes` bytes (existing views of its buffer become detached when it grows). */
export function reserveMemory(memory: WasmMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}

/** One instance of a kernel module with a memory of its own (grown on demand) and its typed exports. */
export class WasmKernel<Exports> {
  readonly memory: WasmMemory;
  readonly exports: Exports;
  constructor(api: WasmApi, module: WasmModule) {
    this.memory = new api.Memory({ initial: 1 });
    this.exports = instantiateWithMemory(api, module, this.memory) as unknown as Exports;
  }
  /** Ensures at least `bytes` bytes of memory (existing views of its buffer become detached when it grows). */
  reserve(bytes: number): void {
    reserveMemory(this.memory, bytes);
  }
}

/**
 * A getter of one shared {@link WasmKernel} of the module `build` emits, made on the first call; null where
 * WebAssembly or its SIMD is unavailable (then callers run their typed-array loops).
 */
export function sharedWasmKernel<Exports>(build: () => Uint8Array): () => WasmKernel<Exports> | null {
  const module = lazyWasmModule(build);
  let cached: WasmKernel<Exports> | null | undefined;
  return () => {
    if (cached !== undefined) return cached;
    const compiled = module();
    const api = wasmApi();
    try {
      cached = compiled === null || api === undefined ? null : new WasmKernel<Exports>(api, compiled);
    } catch {
      cached = null;
    }
    return cached;
  };
}
